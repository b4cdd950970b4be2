package com.meridianreview.ingest;

import com.meridianreview.core.SourceVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Rebuilds the table from the bucket: every published image under {@code images/} is recorded
 * again from its metadata, then every accepted source under {@code articles/} is published again
 * with the version it was accepted at, so an empty table ends with the very items it had. One
 * invocation goes on while time remains and then answers where to continue (images sort before
 * articles in the continuation key, as they are listed).
 */
final class Rebuild {

    /** What one run did, and the key to start after next time (null when every source was done). */
    record Progress(int published, int skipped, List<String> failed, String continueAfter) {
    }

    private final S3Client s3;
    private final ContentIngest ingest;
    private final com.meridianreview.core.ContentStore store;

    Rebuild(S3Client s3, ContentIngest ingest, com.meridianreview.core.ContentStore store) {
        this.s3 = s3;
        this.ingest = ingest;
        this.store = store;
    }

    /** {@code millisLeft} says how long the invocation may still run; the run stops with 10 s to spare. */
    Progress run(String bucket, String startAfter, LongSupplier millisLeft) {
        int[] counts = new int[2];
        List<String> failed = new ArrayList<>();
        String after = startAfter;
        if (after == null || after.startsWith(ImageIngest.IMAGES)) {
            after = images(bucket, after, millisLeft, counts);
            if (after != null) {
                return new Progress(counts[0], counts[1], failed, after);
            }
        }
        return articles(bucket, after != null && after.startsWith(ContentIngest.ARTICLES_PREFIX) ? after : startAfter, millisLeft, counts, failed);
    }

    /** Records every published original under images/ (renditions carry no size metadata); the key to continue after, or null when done. */
    private String images(String bucket, String startAfter, LongSupplier millisLeft, int[] counts) {
        String after = startAfter;
        while (true) {
            String from = after;
            ListObjectsV2Response page = s3.listObjectsV2(request -> {
                request.bucket(bucket).prefix(ImageIngest.IMAGES).maxKeys(100);
                if (from != null) {
                    request.startAfter(from);
                }
            });
            for (S3Object object : page.contents()) {
                if (millisLeft.getAsLong() < 10_000) {
                    return after == null ? ImageIngest.IMAGES : after;
                }
                var head = s3.headObject(request -> request.bucket(bucket).key(object.key()));
                String name = object.key().substring(ImageIngest.IMAGES.length());
                var image = ImageIngest.fromMetadata(name, head.contentType(), head.metadata());
                if (image.isPresent()) {
                    store.publishImage(image.get(), false);
                    counts[0]++;
                }
                after = object.key();
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return null;
            }
        }
    }

    private Progress articles(String bucket, String startAfter, LongSupplier millisLeft, int[] counts, List<String> failed) {
        int published = counts[0];
        int skipped = counts[1];
        String after = startAfter;
        while (true) {
            String from = after;
            ListObjectsV2Response page = s3.listObjectsV2(request -> {
                request.bucket(bucket).prefix(ContentIngest.ARTICLES_PREFIX).maxKeys(100);
                if (from != null) {
                    request.startAfter(from);
                }
            });
            for (S3Object object : page.contents()) {
                if (millisLeft.getAsLong() < 10_000) {
                    return new Progress(published, skipped, failed, after == null ? ContentIngest.ARTICLES_PREFIX : after);
                }
                ResponseBytes<GetObjectResponse> source = s3.getObjectAsBytes(request -> request.bucket(bucket).key(object.key()));
                String version = source.response().metadata().get(IncomingUploads.SOURCE_VERSION_METADATA);
                try {
                    ContentIngest.Ingested ingested = version == null
                            ? ingest.ingest(object.key(), source.asByteArray(), "")
                            : ingest.ingest(object.key(), source.asByteArray(), new SourceVersion(version));
                    if (ingested.publication() == com.meridianreview.core.ContentStore.Publication.WRITTEN) {
                        published++;
                    } else {
                        skipped++;
                    }
                } catch (InvalidSourceException e) {
                    // Accepted once, refused now: the checks have grown stricter since. Reported, not fatal.
                    failed.add(object.key() + ": " + String.join("; ", e.problems()));
                }
                after = object.key();
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return new Progress(published, skipped, failed, null);
            }
        }
    }
}
