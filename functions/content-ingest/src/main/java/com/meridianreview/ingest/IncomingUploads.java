package com.meridianreview.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.PreviewLinks;
import com.meridianreview.core.RelatedLists;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What happens to a file written under {@code incoming/}: an article source that passes every
 * check is published and kept as {@code articles/<slug>.md}, the copy the table can be rebuilt
 * from; an image that passes its checks is published under {@code images/} with its renditions;
 * anything else is copied to {@code quarantine/} with a report an editor can read. The upload
 * itself stays where it was written (the bucket keeps every version).
 */
final class IncomingUploads {

    static final String INCOMING = "incoming/";
    static final String QUARANTINE = "quarantine/";
    /** User metadata on articles/ copies (x-amz-meta-source-version). */
    static final String SOURCE_VERSION_METADATA = "source-version";

    /**
     * What became of one upload: its page (an article's or an image's address) when published, the
     * problems when refused; {@code superseded} when the table already held a newer version of the article.
     */
    record Outcome(String key, String slug, String page, List<String> problems, boolean superseded, RelatedLists.Refresh related) {
        Outcome(String key, String slug, List<String> problems) {
            this(key, slug, slug == null ? null : "/articles/" + slug, problems, false, null);
        }

        Outcome(String key, String slug, String page, List<String> problems, boolean superseded) {
            this(key, slug, page, problems, superseded, null);
        }

        boolean published() {
            return problems.isEmpty() && !superseded;
        }
    }

    private final S3Client s3;
    private final ContentIngest ingest;
    private final ImageIngest images;
    private final PreviewLinks previews;
    private final JsonFactory json;
    private final Clock clock;

    IncomingUploads(S3Client s3, ContentIngest ingest, ImageIngest images, PreviewLinks previews, JsonFactory json, Clock clock) {
        this.previews = previews;
        this.s3 = s3;
        this.ingest = ingest;
        this.images = images;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Handles one uploaded object. Storage failures propagate, so that the event is retried;
     * a file that is wrong is an answer, not a failure.
     */
    Outcome handle(String bucket, String key, String versionId, String sequencer) throws IOException {
        if (!key.startsWith(INCOMING) || key.endsWith("/")) {
            return new Outcome(key, null, List.of("not an upload: only keys under " + INCOMING + " are ingested"));
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!name.endsWith(".md")) {
            return image(bucket, key, versionId, sequencer, name);
        }
        String slug = name.substring(0, name.length() - 3);
        String articleKey = ContentIngest.ARTICLES_PREFIX + slug + ".md";
        // The version the event announces, not whatever was written since: events arrive out of order.
        long size = s3.headObject(request -> request.bucket(bucket).key(key).versionId(versionId)).contentLength();
        if (size > ArticleSource.MAX_SOURCE_BYTES) {
            // Refused before it is read: a huge file must not take the function's memory or time.
            List<String> problems = List.of("the file is " + size + " bytes; an article source may be at most " + ArticleSource.MAX_SOURCE_BYTES + " bytes");
            quarantine(bucket, key, versionId, problems);
            return new Outcome(key, slug, problems);
        }
        byte[] source = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key).versionId(versionId)).asByteArray();
        ContentIngest.Ingested ingested;
        try {
            ingested = ingest.ingest(articleKey, source, sequencer);
        } catch (InvalidSourceException e) {
            quarantine(bucket, key, versionId, e.problems());
            return new Outcome(key, slug, e.problems());
        }
        if (ingested.publication() == ContentStore.Publication.NEWER_VERSION_KEPT) {
            // A late or replayed event: the table and articles/ already hold a newer source.
            return new Outcome(key, slug, null, List.of(), true);
        }
        keepSource(bucket, articleKey, source, ingested.version().value());
        // A story readers cannot see yet (a draft, or scheduled) is shown to its editor through a signed preview link.
        String page = ingested.article().isLiveAt(clock.instant()) || ingested.article().status() == com.meridianreview.core.Article.Status.UNPUBLISHED
                ? "/articles/" + slug : previews.link(slug).orElse(null);
        return new Outcome(key, slug, page, List.of(), false, ingested.related());
    }

    /**
     * Writes the accepted source to {@code articles/}, with its version, so that a rebuild writes
     * the very same items; never over a newer one. Two uploads of a slug handled at once can pass
     * the table in one order and reach S3 in the other, so the write is a compare-and-swap on the
     * copy's ETag (S3 conditional writes), repeated when another write got in between.
     */
    private void keepSource(String bucket, String articleKey, byte[] source, String version) {
        // The first copy of a slug is created only if none exists yet: this asks nothing first,
        // because without s3:ListBucket S3 answers a HEAD of a missing key with 403, not 404.
        if (put(bucket, articleKey, source, version, null)) {
            return;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            var head = s3.headObject(request -> request.bucket(bucket).key(articleKey));
            String kept = head.metadata().get(SOURCE_VERSION_METADATA);
            if (kept != null && kept.compareTo(version) > 0) {
                return;
            }
            if (put(bucket, articleKey, source, version, head.eTag())) {
                return;
            }
            // Another upload of this slug wrote its copy in between: look again.
        }
        throw new IllegalStateException("the copy of " + articleKey + " kept changing; the event is retried");
    }

    /** A conditional write: only if the key is absent ({@code etag} null) or still holds {@code etag}; false when that no longer holds. */
    private boolean put(String bucket, String articleKey, byte[] source, String version, String etag) {
        try {
            s3.putObject(request -> {
                request.bucket(bucket).key(articleKey).contentType("text/markdown; charset=utf-8")
                        .metadata(Map.of(SOURCE_VERSION_METADATA, version));
                if (etag == null) {
                    request.ifNoneMatch("*");
                } else {
                    request.ifMatch(etag);
                }
            }, RequestBody.fromBytes(source));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    private Outcome image(String bucket, String key, String versionId, String sequencer, String name) throws IOException {
        long size = s3.headObject(request -> request.bucket(bucket).key(key).versionId(versionId)).contentLength();
        List<String> problems;
        if (size > ImageFile.MAX_BYTES) {
            problems = List.of("the file is " + size / (1024 * 1024) + " MB; an image may be at most " + ImageFile.MAX_BYTES / (1024 * 1024) + " MB");
        } else {
            byte[] bytes = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key).versionId(versionId)).asByteArray();
            try {
                images.publish(bucket, name, bytes, key + "#" + sequencer);
                return new Outcome(key, null, "/images/" + name, List.of(), false);
            } catch (InvalidImageException e) {
                problems = e.problems();
            }
        }
        quarantine(bucket, key, versionId, problems);
        return new Outcome(key, null, problems);
    }

    private void quarantine(String bucket, String key, String versionId, List<String> problems) throws IOException {
        String target = QUARANTINE + key.substring(INCOMING.length());
        s3.copyObject(request -> request.sourceBucket(bucket).sourceKey(key).sourceVersionId(versionId).destinationBucket(bucket).destinationKey(target));
        StringWriter report = new StringWriter();
        try (JsonGenerator out = json.createGenerator(report)) {
            out.useDefaultPrettyPrinter();
            out.writeStartObject();
            out.writeStringField("source", key);
            out.writeStringField("checkedAt", clock.instant().toString());
            out.writeArrayFieldStart("problems");
            for (String problem : problems) {
                out.writeString(problem);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        s3.putObject(request -> request.bucket(bucket).key(target + ".report.json").contentType("application/json"),
                RequestBody.fromString(report.toString()));
    }
}
