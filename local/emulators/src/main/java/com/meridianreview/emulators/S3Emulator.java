package com.meridianreview.emulators;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy embedded in this JVM on a loopback port. It checks SigV4 signatures and presigned-URL
 * expiry as S3 does, so signed-URL rules can be tested against it.
 */
public final class S3Emulator implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;
    private final NotifyingBlobStore store;

    private S3Emulator(S3Proxy proxy, URI endpoint, NotifyingBlobStore store) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.store = store;
    }

    /** Starts S3Proxy in memory, or on files under {@code directory} when it is not null. */
    public static S3Emulator start(Path directory, Credentials credentials) {
        BlobStore store;
        try {
            if (directory == null) {
                store = new TransientNio2BlobStore();
            } else {
                Files.createDirectories(directory);
                store = new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
            }
        } catch (java.io.IOException e) {
            throw new EmulatorException("cannot use " + directory + " for S3 data: " + e.getMessage());
        }
        NotifyingBlobStore notifying = new NotifyingBlobStore(store);
        EmulatorException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            URI endpoint = URI.create("http://127.0.0.1:" + FreePort.pick());
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(notifying)
                    .endpoint(endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKeyId(), credentials.secretAccessKey())
                    .metricsEnabled(false)
                    // As the template's bucket CORS rule: editors' pages, here served from a loopback
                    // port, PUT files straight to the bucket with a signed URL.
                    .corsRules(new CrossOriginResourceSharing(
                            List.of("http://127\\.0\\.0\\.1(:\\d+)?", "http://localhost(:\\d+)?"),
                            List.of("PUT", "GET", "HEAD"), List.of("content-type"), List.of("etag"), "false"))
                    .build();
            try {
                // Jetty's start returns once the connector listens.
                proxy.start();
                return new S3Emulator(proxy, endpoint, notifying);
            } catch (Exception e) {
                last = new EmulatorException("S3Proxy did not start on " + endpoint + ": " + e.getMessage());
            }
        }
        throw last;
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Calls {@code listener} after each object written (put, copy, completed multipart upload),
     * on the thread that wrote it; closing the returned handle stops the calls.
     */
    public AutoCloseable onObjectCreated(java.util.function.Consumer<ObjectCreated> listener) {
        return store.listen(listener);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopping a loopback server; nothing a caller could do about a failure here
        }
    }
}
