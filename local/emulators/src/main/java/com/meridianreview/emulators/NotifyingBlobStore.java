package com.meridianreview.emulators;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy has no event notifications, so the store tells its listeners of every object written,
 * once the write has succeeded, as S3 does before it sends an event.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    private final List<Consumer<ObjectCreated>> listeners = new CopyOnWriteArrayList<>();
    /** S3's sequencer is an opaque hex string that grows with each write of a key; a counter does. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() << 16);

    NotifyingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    AutoCloseable listen(Consumer<ObjectCreated> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        announce("ObjectCreated:Put", request.bucket(), request.key(), response.eTag(), response.versionId());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        announce("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey(),
                response.copyObjectResult() == null ? null : response.copyObjectResult().eTag(), response.versionId());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        announce("ObjectCreated:CompleteMultipartUpload", upload.containerName(), upload.blobName(), response.eTag(), response.versionId());
        return response;
    }

    private void announce(String eventName, String bucket, String key, String eTag, String versionId) {
        if (listeners.isEmpty()) {
            return;
        }
        long size;
        try {
            HeadObjectResponse head = blobMetadata(software.amazon.awssdk.services.s3.model.HeadObjectRequest.builder().bucket(bucket).key(key).build());
            size = head.contentLength() == null ? 0 : head.contentLength();
            if (versionId == null) {
                versionId = head.versionId();
            }
        } catch (RuntimeException e) {
            size = 0;
        }
        String tag = eTag == null ? "" : eTag.replace("\"", "");
        ObjectCreated event = new ObjectCreated(eventName, bucket, key, size, tag, versionId,
                String.format("%016X", sequence.incrementAndGet()), Instant.now());
        for (Consumer<ObjectCreated> listener : listeners) {
            listener.accept(event);
        }
    }
}
