package com.meridianreview.core;

import com.meridianreview.emulators.Emulators;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Real SDK clients against the emulated DynamoDB, and content tables shaped as the template declares them. */
public final class DynamoDbFixtures {

    private DynamoDbFixtures() {
    }

    public static DynamoDbClient client(Emulators emulators, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .httpClient(Apache5HttpClient.create())
                .region(Region.of(Emulators.REGION))
                .endpointOverride(emulators.dynamoDbEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey())))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** The content table as infra/template.yaml declares it (the local runner's tests check the two agree). */
    public static void createContentTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(table -> table
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(ContentTable.PK), attribute(ContentTable.SK), attribute(ContentTable.LISTING), attribute(ContentTable.LISTED_AT))
                .keySchema(key(ContentTable.PK, KeyType.HASH), key(ContentTable.SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(ContentTable.BY_LISTING_INDEX)
                        .keySchema(key(ContentTable.LISTING, KeyType.HASH), key(ContentTable.LISTED_AT, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build()));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
