package com.meridianreview.digest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BackendOutage;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.EditorAccess;
import com.meridianreview.core.HttpApiCodec;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.JsonText;
import com.meridianreview.core.NewsletterIssues;
import com.meridianreview.core.OriginCheck;
import com.meridianreview.core.Problem;
import com.meridianreview.subscribers.ListMail;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The weekly round-up: the schedule's event sends the week's issue ({@code {"send": "weekly",
 * "scheduledTime": ...}}), the resume schedule's takes up an unfinished send ({@code {"resume":
 * "weekly"}}), SES's bounce and complaint notifications arrive through SNS, and editors preview
 * the next issue and send it to themselves through the HTTP API.
 */
public final class DigestHandler implements RequestStreamHandler {

    static final AwsClients.Budget MAIL = new AwsClients.Budget(Duration.ofSeconds(3), Duration.ofSeconds(6));
    /**
     * A run stops when less than this is left: one send with its throttling pauses (about 6 s of
     * pauses and the SES client's 6 s budget) and the progress writes fit in it.
     */
    static final long MARGIN_MILLIS = 30_000;
    /** No dimensions: one alarm on "stopped" covers the weekly event and the resume schedule alike. */
    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Digest", List.of(),
            Map.of("durationMs", "Milliseconds", "sent", "Count", "skipped", "Count", "refused", "Count", "inDoubt", "Count",
                    "stopped", "Count", "addressesStopped", "Count"));

    private final RoundUps roundUps;
    private final MailEvents mailEvents;
    private final EditorRoundUp editorRoutes;
    private final HttpApiCodec codec;
    private final JsonFactory json;
    private final JsonLog log;
    private final Clock clock;

    /** The constructor Lambda uses: settings from the process environment. */
    public DigestHandler() {
        this(Config.fromEnvironment(), Clock.systemUTC());
    }

    private DigestHandler(Config config, Clock clock) {
        this(config, AwsClients.dynamoDb(config), sesClient(config), new JsonFactory(), clock);
    }

    /**
     * SES may be in another region than the function. A send is never retried by the SDK: after an
     * attempt that got no answer SES may have taken the message, and only the delivery record may
     * decide about a second one; throttling is retried by the sender, which knows it is safe.
     */
    static SesV2Client sesClient(Config config) {
        var builder = AwsClients.configure(SesV2Client.builder(), config, "AWS_ENDPOINT_URL_SESV2", MAIL);
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().retryStrategy(retry -> retry.maxAttempts(1)).build());
        config.optional("SES_REGION").map(software.amazon.awssdk.regions.Region::of).ifPresent(builder::region);
        return builder.build();
    }

    DigestHandler(Config config, DynamoDbClient dynamoDb, SesV2Client ses, JsonFactory json, Clock clock) {
        String list = config.get("NEWSLETTER_LIST", "weekly");
        String subscribersTable = config.required("SUBSCRIBERS_TABLE");
        String siteUrl = config.required("SITE_URL");
        String siteName = config.get("SITE_NAME", "The Meridian Review");
        this.json = json;
        this.clock = clock;
        this.codec = new HttpApiCodec(json);
        this.log = new JsonLog(System.out, json, clock);
        Subscribers subscribers = new Subscribers(dynamoDb, subscribersTable, clock);
        NewsletterTokens tokens = new NewsletterTokens(config.required("NEWSLETTER_KEY"), clock);
        ListMail mail = new ListMail(ses, config.required("NEWSLETTER_FROM"), config.optional("SES_CONFIGURATION_SET").orElse(null));
        List<String> sections = Arrays.stream(config.get("SITE_SECTIONS", "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        ZoneId zone = ZoneId.of(config.get("DIGEST_TIME_ZONE", "UTC"));
        RoundUpComposer composer = new RoundUpComposer(new ContentStore(dynamoDb, config.required("CONTENT_TABLE"), clock), siteName, siteUrl,
                config.get("IMAGE_BASE_URL", "/images/"), sections, zone);
        SendProgress progress = new SendProgress(dynamoDb, subscribersTable, clock);
        IssueSender sender = new IssueSender(subscribers, new Deliveries(dynamoDb, subscribersTable, clock), progress, mail, tokens,
                SendPace.realTime(Double.parseDouble(config.get("SEND_RATE_PER_SECOND", "10"))), siteUrl, MARGIN_MILLIS, clock, log);
        this.roundUps = new RoundUps(list, zone, composer,
                new IssueRenderer(TemplateEngine.createPrecompiled(null, ContentType.Html, DigestHandler.class.getClassLoader())),
                new NewsletterIssues(dynamoDb, config.required("CONTENT_TABLE")), progress, sender, mail, tokens, siteUrl, clock, log);
        this.mailEvents = new MailEvents(subscribers, json, log);
        this.editorRoutes = new EditorRoundUp(roundUps, new OriginCheck(config.optional("ORIGIN_SECRETS").orElse(null)),
                new EditorAccess(config.get("EDITOR_GROUPS_CLAIM", "cognito:groups"), config.get("EDITOR_GROUP", "editors")), json);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long start = clock.millis();
        String requestId = context == null ? "" : context.getAwsRequestId();
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis();
        byte[] event = input.readAllBytes();
        Object parsed;
        try {
            parsed = JsonValues.read(json, event);
        } catch (IOException e) {
            log.error(requestId, "unreadable event", Map.of(), e);
            throw e;
        }
        if (JsonValues.at(parsed, "routeKey").isPresent()) {
            HttpApiResponse response;
            try {
                response = editorRoutes.respond(codec.read(new ByteArrayInputStream(event)), requestId, log);
            } catch (RuntimeException e) {
                // As every function: a table or SES that cannot answer is a 503 to try again, anything else a logged 500, never a stack trace.
                boolean outage = BackendOutage.isOutage(e);
                log.error(requestId, outage ? "round-up preview: a backend is unavailable" : "round-up editor route failed", Map.of(), e);
                Problem problem = outage ? Problem.of(503, "Try again shortly", "the next issue cannot be put together just now")
                        : Problem.of(500, "Server error", "the request failed; it has been logged");
                Map<String, String> headers = HttpApiResponse.privateHeaders("application/problem+json");
                if (outage) {
                    headers.put("retry-after", "10");
                }
                response = HttpApiResponse.of(problem.status(), headers, problem.json(json));
            }
            codec.write(response, output);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        String answer;
        try {
            if (!JsonValues.list(parsed, "Records").isEmpty()) {
                MailEvents.Handled handled = mailEvents.handle(parsed, requestId);
                fields.put("event", "mail-events");
                // Not "stopped", which counts sends that stopped: a bounce is no fault of the send.
                fields.put("addressesStopped", handled.stopped());
                answer = "{\"stopped\":" + handled.stopped() + ",\"ignored\":" + handled.ignored() + "}";
            } else if (JsonValues.text(parsed, "send").isPresent()) {
                fields.put("event", "send");
                answer = report(roundUps.send(scheduledTime(parsed), remaining, requestId), fields);
            } else if (JsonValues.text(parsed, "resume").isPresent()) {
                fields.put("event", "resume");
                Optional<RoundUps.RunReport> resumed = roundUps.resume(remaining, requestId);
                answer = resumed.isPresent() ? report(resumed.get(), fields) : "{\"result\":\"nothing to resume\"}";
            } else {
                log.warn(requestId, "an event this function does not take", Map.of("bytes", event.length));
                throw new IllegalArgumentException("not a round-up event: expected send, resume, SNS records or an HTTP request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        fields.put("durationMs", clock.millis() - start);
        log.infoWithMetrics(requestId, "round-up", fields, METRICS);
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** EventBridge Scheduler puts the occurrence's time in the input; a retry or a duplicate carries the same one. */
    private Instant scheduledTime(Object event) {
        String given = JsonValues.text(event, "scheduledTime").orElse("");
        try {
            return Instant.parse(given);
        } catch (DateTimeParseException e) {
            // An operator's hand-made {"send": "weekly"}: the issue of this moment.
            return clock.instant();
        }
    }

    private String report(RoundUps.RunReport report, Map<String, Object> fields) {
        fields.put("issue", report.issue());
        fields.put("result", report.result());
        fields.put("sent", report.counts().sent());
        fields.put("skipped", report.counts().skipped());
        fields.put("refused", report.counts().refused());
        fields.put("inDoubt", report.counts().inDoubt());
        fields.put("stopped", report.result().equals("stopped") ? 1 : 0);
        if (!report.reason().isEmpty()) {
            fields.put("reason", report.reason());
        }
        return JsonText.write(json, out -> {
            out.writeStartObject();
            out.writeStringField("issue", report.issue());
            out.writeStringField("result", report.result());
            out.writeNumberField("stories", report.stories());
            out.writeNumberField("sent", report.counts().sent());
            out.writeNumberField("skipped", report.counts().skipped());
            out.writeNumberField("refused", report.counts().refused());
            out.writeNumberField("inDoubt", report.counts().inDoubt());
            out.writeStringField("reason", report.reason());
            out.writeEndObject();
        });
    }
}
