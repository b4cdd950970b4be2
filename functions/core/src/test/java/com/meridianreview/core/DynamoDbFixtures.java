package com.meridianreview.core;

import com.meridianreview.emulators.Emulators;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Real SDK clients against the emulated DynamoDB, and content tables shaped as the template declares them. */
public final class DynamoDbFixtures {

    private DynamoDbFixtures() {
    }

    public static DynamoDbClient client(Emulators emulators, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
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
                        a -> a.attributeName(ContentTable.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ContentTable.SK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ContentTable.LISTING).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ContentTable.LISTED_AT).attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName(ContentTable.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(ContentTable.SK).keyType(KeyType.RANGE))
                .globalSecondaryIndexes(index -> index
                        .indexName(ContentTable.BY_LISTING_INDEX)
                        .keySchema(
                                k -> k.attributeName(ContentTable.LISTING).keyType(KeyType.HASH),
                                k -> k.attributeName(ContentTable.LISTED_AT).keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }
}
