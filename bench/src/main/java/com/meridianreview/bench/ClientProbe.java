package com.meridianreview.bench;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Run in a fresh JVM per HTTP client: builds a DynamoDB client on that HTTP client, makes a first
 * GetItem, then many warm ones, and prints its timings as one line of JSON. Wall-clock
 * milliseconds let the parent measure from before it started this JVM.
 */
public final class ClientProbe {

    private ClientProbe() {
    }

    public static void main(String[] args) {
        long mainStarted = System.currentTimeMillis();
        String clientName = args[0];
        SdkHttpClient http = switch (clientName) {
            case "url-connection" -> UrlConnectionHttpClient.create();
            case "apache5" -> Apache5HttpClient.create();
            case "crt" -> AwsCrtHttpClient.create();
            default -> throw new IllegalArgumentException(clientName);
        };
        DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(args[1]))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[3], args[4])))
                .build();
        long built = System.currentTimeMillis();
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("article#" + args[5]), "sk", AttributeValue.fromS("article"));
        dynamoDb.getItem(r -> r.tableName(args[2]).key(key));
        long firstDone = System.currentTimeMillis();
        int warmup = 500;
        int measured = 2000;
        double[] micros = new double[measured];
        for (int i = 0; i < warmup + measured; i++) {
            long start = System.nanoTime();
            dynamoDb.getItem(r -> r.tableName(args[2]).key(key));
            if (i >= warmup) {
                micros[i - warmup] = (System.nanoTime() - start) / 1e3;
            }
        }
        Stats warm = Stats.of(micros);
        System.out.printf(java.util.Locale.ROOT, "{\"mainStarted\":%d,\"built\":%d,\"firstDone\":%d,\"warmP50Us\":%.1f,\"warmP99Us\":%.1f}%n",
                mainStarted, built, firstDone, warm.p50(), warm.p99());
        dynamoDb.close();
    }
}
