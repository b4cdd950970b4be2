package com.meridianreview.emulators;

import java.net.URI;
import java.nio.file.Path;

/**
 * DynamoDB and S3 emulators on loopback, started together and stopped together. Nothing here
 * depends on Docker or an AWS account.
 */
public final class Emulators implements AutoCloseable {

    public static final String REGION = "us-east-1";
    /** Dynoxide's database file in a data directory. */
    public static final String DYNAMODB_FILE = "dynamodb.sqlite";

    private final Dynoxide dynamoDb;
    private final S3Emulator s3;

    private Emulators(Dynoxide dynamoDb, S3Emulator s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    /** In-memory emulators: state ends with them. */
    public static Emulators inMemory() {
        return start(null);
    }

    /** Emulators keeping their state under {@code dataDir} (or in memory when it is null). */
    public static Emulators start(Path dataDir) {
        Dynoxide dynamoDb = Dynoxide.start(dataDir == null ? null : dataDir.resolve(DYNAMODB_FILE));
        try {
            return new Emulators(dynamoDb, S3Emulator.start(dataDir == null ? null : dataDir.resolve("s3"), Credentials.LOCAL));
        } catch (RuntimeException e) {
            dynamoDb.close();
            throw e;
        }
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** See {@link S3Emulator#onObjectCreated}. */
    public AutoCloseable onObjectCreated(java.util.function.Consumer<ObjectCreated> listener) {
        return s3.onObjectCreated(listener);
    }

    /** The emulator processes this JVM started (Dynoxide), so a runner can record and later reap them. */
    public java.util.List<ProcessHandle> processes() {
        return java.util.List.of(dynamoDb.process());
    }

    public Credentials credentials() {
        return Credentials.LOCAL;
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            dynamoDb.close();
        }
    }
}
