package com.meridianreview.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import com.meridianreview.core.ContentStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What happens to a file written under {@code incoming/}: an article source that passes every
 * check is published and kept as {@code articles/<slug>.md}, the copy the table can be rebuilt
 * from; anything else is copied to {@code quarantine/} with a report an editor can read. The
 * upload itself stays where it was written (the bucket keeps every version).
 */
final class IncomingUploads {

    static final String INCOMING = "incoming/";
    static final String QUARANTINE = "quarantine/";
    /** User metadata on articles/ copies (x-amz-meta-source-version). */
    static final String SOURCE_VERSION_METADATA = "source-version";

    /** What became of one upload; {@code superseded} when the table already held a newer version of the article. */
    record Outcome(String key, String slug, List<String> problems, boolean superseded) {
        Outcome(String key, String slug, List<String> problems) {
            this(key, slug, problems, false);
        }

        boolean published() {
            return problems.isEmpty() && !superseded;
        }
    }

    private final S3Client s3;
    private final ContentIngest ingest;
    private final JsonFactory json;
    private final Clock clock;

    IncomingUploads(S3Client s3, ContentIngest ingest, JsonFactory json, Clock clock) {
        this.s3 = s3;
        this.ingest = ingest;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Handles one uploaded object. Storage failures propagate, so that the event is retried;
     * a file that is wrong is an answer, not a failure.
     */
    Outcome handle(String bucket, String key, String sequencer) throws IOException {
        if (!key.startsWith(INCOMING) || key.endsWith("/")) {
            return new Outcome(key, null, List.of("not an upload: only keys under " + INCOMING + " are ingested"));
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!name.endsWith(".md")) {
            List<String> problems = List.of("only article sources (.md) are published from " + INCOMING + "; images go under images/");
            quarantine(bucket, key, problems);
            return new Outcome(key, null, problems);
        }
        String slug = name.substring(0, name.length() - 3);
        String articleKey = ContentIngest.ARTICLES_PREFIX + slug + ".md";
        byte[] source = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray();
        ContentIngest.Ingested ingested;
        try {
            ingested = ingest.ingest(articleKey, source, sequencer);
        } catch (InvalidSourceException e) {
            quarantine(bucket, key, e.problems());
            return new Outcome(key, slug, e.problems());
        }
        if (ingested.publication() == ContentStore.Publication.NEWER_VERSION_KEPT) {
            // A late or replayed event: the table and articles/ already hold a newer source.
            return new Outcome(key, slug, List.of(), true);
        }
        // The version goes with the copy, so that a rebuild from articles/ writes the very same items.
        s3.putObject(request -> request.bucket(bucket).key(articleKey).contentType("text/markdown; charset=utf-8")
                .metadata(Map.of(SOURCE_VERSION_METADATA, ingested.version().value())), RequestBody.fromBytes(source));
        return new Outcome(key, slug, List.of());
    }

    private void quarantine(String bucket, String key, List<String> problems) throws IOException {
        String target = QUARANTINE + key.substring(INCOMING.length());
        s3.copyObject(request -> request.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(target));
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
