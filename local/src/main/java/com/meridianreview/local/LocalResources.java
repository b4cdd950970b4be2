package com.meridianreview.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;

/** Creates the template's tables and buckets in the emulators, keeping any that already exist. */
final class LocalResources {

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;

    LocalResources(DynamoDbClient dynamoDb, S3Client s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    void create(SamApplication application) {
        for (SamApplication.Table table : application.tables()) {
            createTable(table);
        }
        for (SamApplication.Bucket bucket : application.buckets()) {
            try {
                s3.createBucket(request -> request.bucket(bucket.name()));
            } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException existing) {
                // kept from an earlier run (--data)
            }
            if (bucket.versioned()) {
                // Every write keeps its version, and S3 events name it, as in the template's bucket.
                try {
                    s3.putBucketVersioning(request -> request.bucket(bucket.name()).versioningConfiguration(v -> v.status("Enabled")));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    if (e.statusCode() != 501) {
                        throw e;
                    }
                    // S3Proxy keeps versions in memory only; on files (--data) each key holds its
                    // latest write, and events name no version.
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void createTable(SamApplication.Table table) {
        Map<String, Object> p = table.properties();
        String where = table.logicalId();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.name())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(list(p.get("AttributeDefinitions"), where + ".AttributeDefinitions").stream()
                        .map(a -> AttributeDefinition.builder().attributeName(str(a, "AttributeName")).attributeType(str(a, "AttributeType")).build())
                        .toList())
                .keySchema(keySchema(p.get("KeySchema"), where + ".KeySchema"));
        if (p.get("GlobalSecondaryIndexes") != null) {
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (Map<String, Object> index : list(p.get("GlobalSecondaryIndexes"), where + ".GlobalSecondaryIndexes")) {
                Map<String, Object> projection = (Map<String, Object>) index.getOrDefault("Projection", Map.of("ProjectionType", "ALL"));
                Projection.Builder projected = Projection.builder().projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL")));
                if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
                    projected.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
                }
                indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(str(index, "IndexName"))
                        .keySchema(keySchema(index.get("KeySchema"), where + "." + str(index, "IndexName")))
                        .projection(projected.build())
                        .build());
            }
            request.globalSecondaryIndexes(indexes);
        }
        try {
            dynamoDb.createTable(request.build());
        } catch (ResourceInUseException existing) {
            return;
        }
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl && Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
            dynamoDb.updateTimeToLive(update -> update.tableName(table.name())
                    .timeToLiveSpecification(spec -> spec.enabled(true).attributeName(String.valueOf(ttl.get("AttributeName")))));
        }
    }

    private static List<KeySchemaElement> keySchema(Object value, String where) {
        return list(value, where).stream()
                .map(k -> KeySchemaElement.builder().attributeName(str(k, "AttributeName")).keyType(str(k, "KeyType")).build())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value, String where) {
        if (!(value instanceof List<?>)) {
            throw new TemplateException(where + " must be a list");
        }
        return (List<Map<String, Object>>) value;
    }

    private static String str(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new TemplateException("missing " + key + " in " + map);
        }
        return String.valueOf(value);
    }
}
