package com.meridianreview.emulators;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DynamoDB, S3 and SES emulators on loopback, started together and stopped together. Nothing here
 * depends on Docker or an AWS account.
 */
public final class Emulators implements AutoCloseable {

    public static final String REGION = "us-east-1";
    /** Dynoxide's database file in a data directory. */
    public static final String DYNAMODB_FILE = "dynamodb.sqlite";

    private final Dynoxide dynamoDb;
    private final S3Emulator s3;
    private final SesEmulator ses;

    private Emulators(Dynoxide dynamoDb, S3Emulator s3, SesEmulator ses) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.ses = ses;
    }

    /** In-memory emulators: state ends with them. */
    public static Emulators inMemory() {
        return start(null);
    }

    /**
     * Emulators keeping their state under {@code dataDir} (or in memory when it is null). The SES
     * emulator keeps its messages in memory either way: it has no storage of its own.
     */
    public static Emulators start(Path dataDir) {
        // Node spends from a few hundred milliseconds to a second loading the emulator's modules;
        // waiting for it while Dynoxide and S3Proxy start keeps most of that off the runner's start.
        CompletableFuture<SesEmulator> ses = CompletableFuture.supplyAsync(SesEmulator::start, runnable -> {
            Thread thread = new Thread(runnable, "ses-emulator-start");
            thread.setDaemon(true);
            thread.start();
        });
        Dynoxide dynamoDb = null;
        S3Emulator s3 = null;
        try {
            dynamoDb = Dynoxide.start(dataDir == null ? null : dataDir.resolve(DYNAMODB_FILE));
            s3 = S3Emulator.start(dataDir == null ? null : dataDir.resolve("s3"), Credentials.LOCAL);
            return new Emulators(dynamoDb, s3, join(ses));
        } catch (RuntimeException e) {
            // An SES emulator still starting is stopped once it has.
            ses.thenAccept(SesEmulator::close);
            if (s3 != null) {
                s3.close();
            }
            if (dynamoDb != null) {
                dynamoDb.close();
            }
            throw e;
        }
    }

    private static SesEmulator join(CompletableFuture<SesEmulator> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** SES v2 API; {@code GET /store} there lists every message it accepted (in memory only). */
    public URI sesEndpoint() {
        return ses.endpoint();
    }

    /** See {@link S3Emulator#onObjectCreated}. */
    public AutoCloseable onObjectCreated(java.util.function.Consumer<ObjectCreated> listener) {
        return s3.onObjectCreated(listener);
    }

    /** The emulator processes this JVM started (Dynoxide, the SES emulator), so a runner can record and later reap them. */
    public java.util.List<ProcessHandle> processes() {
        return java.util.List.of(dynamoDb.process(), ses.process());
    }

    public Credentials credentials() {
        return Credentials.LOCAL;
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            try {
                dynamoDb.close();
            } finally {
                ses.close();
            }
        }
    }
}
