package com.meridianreview.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.PreviewLinks;
import com.meridianreview.core.RelatedLists;
import com.meridianreview.core.Relevance;
import com.meridianreview.core.RelevanceWeights;
import com.meridianreview.core.UploadReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes what editors upload: invoked by S3 for each object written under {@code incoming/}.
 * Lambda invokes it asynchronously and retries a failed event, so a storage failure is thrown
 * (and retried) while a file that fails its checks is quarantined with a report and not retried.
 */
public final class IngestHandler implements RequestStreamHandler {

    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Ingest", List.of(),
            Map.of("published", "Count", "rejected", "Count"));

    private final S3EventRecords events;
    private final IncomingUploads uploads;
    private final Rebuild rebuild;
    private final ContentStore reports;
    private final Clock clock;
    private final JsonLog log;

    /** The constructor Lambda uses: settings from the process environment. */
    public IngestHandler() {
        this(Config.fromEnvironment(), new JsonFactory());
    }

    private IngestHandler(Config config, JsonFactory json) {
        this(AwsClients.configure(S3Client.builder(), config, AwsClients.S3_ENDPOINT, AwsClients.Budget.TRANSFER).build(),
                AwsClients.dynamoDb(config), config.required("CONTENT_TABLE"), config.optional("PREVIEW_KEY").orElse(null),
                RelevanceWeights.fromEnvironment(System.getenv()), json);
    }

    IngestHandler(S3Client s3, DynamoDbClient dynamoDb, String table, String previewKey, JsonFactory json) {
        this(s3, dynamoDb, table, previewKey, RelevanceWeights.DEFAULT, json);
    }

    private IngestHandler(S3Client s3, DynamoDbClient dynamoDb, String table, String previewKey, RelevanceWeights weights, JsonFactory json) {
        this(s3, new ContentStore(dynamoDb, table), new RelatedLists(dynamoDb, table, new Relevance(weights), Clock.systemUTC()),
                new PreviewLinks(previewKey, Clock.systemUTC()), json);
    }

    private IngestHandler(S3Client s3, ContentStore store, RelatedLists related, PreviewLinks previews, JsonFactory json) {
        this(s3, store, new ContentIngest(new ArticleSource(), store, related), previews, json);
    }

    private IngestHandler(S3Client s3, ContentStore store, ContentIngest ingest, PreviewLinks previews, JsonFactory json) {
        this(new S3EventRecords(json), new IncomingUploads(s3, ingest, new ImageIngest(s3, store), previews, json, Clock.systemUTC()),
                new Rebuild(s3, ingest, store), store,
                Clock.systemUTC(), new JsonLog(System.out, json, Clock.systemUTC()));
    }

    IngestHandler(S3EventRecords events, IncomingUploads uploads, Rebuild rebuild, ContentStore reports, Clock clock, JsonLog log) {
        this.events = events;
        this.uploads = uploads;
        this.rebuild = rebuild;
        this.reports = reports;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? "" : context.getAwsRequestId();
        S3EventRecords.Event event;
        try {
            event = events.read(input);
        } catch (IOException e) {
            // Retrying an unreadable event cannot help: say so and let it go.
            log.error(requestId, "unreadable event", Map.of(), e);
            output.write("{\"published\":0,\"rejected\":0}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (event.rebuild() != null) {
            Rebuild.Progress progress = rebuild.run(event.rebuild().bucket(), event.rebuild().startAfter(),
                    () -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis());
            log.infoWithMetrics(requestId, "rebuild ran", Map.of("published", progress.published(), "rejected", progress.failed().size(),
                    "skipped", progress.skipped(), "continueAfter", String.valueOf(progress.continueAfter())), METRICS);
            for (String failure : progress.failed()) {
                log.warn(requestId, "source refused on rebuild", Map.of("problem", failure));
            }
            output.write(rebuildAnswer(progress).getBytes(StandardCharsets.UTF_8));
            return;
        }
        List<S3EventRecords.Created> records = event.records();
        int published = 0;
        int rejected = 0;
        for (S3EventRecords.Created record : records) {
            IncomingUploads.Outcome outcome = uploads.handle(record.bucket(), record.key(), record.versionId(), record.sequencer());
            reports.recordUpload(new UploadReport(record.key(),
                    outcome.superseded() ? UploadReport.State.SUPERSEDED : outcome.published() ? UploadReport.State.PUBLISHED : UploadReport.State.REJECTED,
                    outcome.problems(), outcome.problems().isEmpty() ? outcome.page() : null, clock.instant(), record.sequencer()));
            if (outcome.superseded()) {
                log.info(requestId, "older version not published", Map.of("key", record.key(), "slug", outcome.slug(), "sequencer", record.sequencer()));
            } else if (outcome.published()) {
                published++;
                Map<String, Object> fields = new java.util.LinkedHashMap<>(Map.of("key", record.key(), "page", outcome.page(), "sequencer", record.sequencer()));
                if (outcome.related() != null) {
                    fields.put("relatedKept", outcome.related().kept());
                    fields.put("relatedListsUpdated", outcome.related().listsUpdated());
                    fields.put("relatedRequests", outcome.related().requests());
                }
                log.info(requestId, "published", fields);
            } else {
                rejected++;
                log.warn(requestId, "upload rejected", Map.of("key", record.key(), "problems", String.join("; ", outcome.problems())));
            }
        }
        log.infoWithMetrics(requestId, "event handled", Map.of("records", records.size(), "published", published, "rejected", rejected), METRICS);
        output.write(("{\"published\":" + published + ",\"rejected\":" + rejected + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** {"published":N,"skipped":N,"failed":[...],"continueAfter":KEY or null}: invoke again with startAfter while it is not null. */
    private static String rebuildAnswer(Rebuild.Progress progress) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (var json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("published", progress.published());
            json.writeNumberField("skipped", progress.skipped());
            json.writeArrayFieldStart("failed");
            for (String failure : progress.failed()) {
                json.writeString(failure);
            }
            json.writeEndArray();
            json.writeStringField("continueAfter", progress.continueAfter());
            json.writeEndObject();
        }
        return out.toString();
    }
}
