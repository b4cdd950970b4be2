package com.meridianreview.core;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SDK clients a function creates once per container. Everything the SDK would otherwise
 * discover at start-up (region, credentials, HTTP client) is given to it, which keeps cold starts
 * short and makes the local runner's settings explicit.
 */
public final class AwsClients {

    /** The standard SDK variable that points DynamoDB at another endpoint (an emulator). */
    public static final String DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";
    /** The same for S3. */
    public static final String S3_ENDPOINT = "AWS_ENDPOINT_URL_S3";

    private AwsClients() {
    }

    /** {@code interceptors} see every request and response (tests count requests and inject faults with them). */
    public static DynamoDbClient dynamoDb(Config config, ExecutionInterceptor... interceptors) {
        return configure(DynamoDbClient.builder(), config, DYNAMODB_ENDPOINT, interceptors).build();
    }

    /**
     * How long a call may take. A reader waits for the page, so a backend that is down or stalled
     * must fail fast enough to leave room for a 503 well inside the function's timeout (10 s):
     * DynamoDB answers in single milliseconds in-region, so half a second to connect and a second
     * per attempt are generous; three attempts (the standard retry strategy, with its backoff and
     * throttling handling) fit in 1.5 s for the whole call. A page makes at most three calls, and
     * the first that fails ends the page.
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);
    public static final int MAX_ATTEMPTS = 3;

    /** How long one call of a client may take: per attempt (and per read on the socket) and in all. */
    public record Budget(Duration attempt, Duration call) {
        /** A reader waits: fail fast, well inside the function's timeout. */
        public static final Budget READER = new Budget(ATTEMPT_TIMEOUT, CALL_TIMEOUT);
        /**
         * Whole files (an image of up to 50 MB) moved inside an asynchronous function with a 60 s
         * timeout: a slow transfer must finish, and a failed one leaves time for Lambda's retry.
         */
        public static final Budget TRANSFER = new Budget(Duration.ofSeconds(20), Duration.ofSeconds(45));
    }

    /**
     * The settings every client of every function shares: one HTTP client with bounded connect
     * and read times, a time budget per call and per attempt, the region from the environment,
     * and the endpoint and keys of an emulator when the environment names one.
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Config config, String endpointVariable,
                                                                                             ExecutionInterceptor... interceptors) {
        return configure(builder, config, endpointVariable, Budget.READER, interceptors);
    }

    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Config config, String endpointVariable,
                                                                                             Budget budget, ExecutionInterceptor... interceptors) {
        builder.httpClient(Apache5HttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(budget.attempt())
                        .connectionAcquisitionTimeout(CONNECT_TIMEOUT)
                        .build())
                .overrideConfiguration(override -> override
                        .apiCallAttemptTimeout(budget.attempt())
                        .apiCallTimeout(budget.call())
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS))
                        .executionInterceptors(List.of(interceptors)))
                .region(Region.of(config.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(credentials(config, endpointVariable));
        config.optional(endpointVariable).map(URI::create).ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * Against an emulator the keys come from the function's variables. On Lambda the default chain
     * is kept: with SnapStart the keys are not in the environment and must be resolved after restore.
     */
    public static AwsCredentialsProvider credentials(Config config, String endpointVariable) {
        var accessKey = config.optional("AWS_ACCESS_KEY_ID");
        var secretKey = config.optional("AWS_SECRET_ACCESS_KEY");
        if (config.optional(endpointVariable).isEmpty() || accessKey.isEmpty() || secretKey.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        var sessionToken = config.optional("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(sessionToken.isPresent()
                ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), sessionToken.get())
                : AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
    }
}
