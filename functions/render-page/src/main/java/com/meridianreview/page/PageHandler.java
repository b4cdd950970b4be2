package com.meridianreview.page;

import com.meridianreview.core.OriginCheck;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BackendOutage;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.HttpApiCodec;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.NewsletterIssues;
import com.meridianreview.core.PreviewLinks;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Renders readers' HTML pages from the content table. Lambda creates one per container and calls
 * {@link #handleRequest} for each HTTP API request; the DynamoDB client and templates live as
 * long as the container.
 */
public final class PageHandler implements RequestStreamHandler, Resource {

    /** Page time and server errors per route, from the log line each request writes anyway. */
    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Pages", List.of("route"),
            Map.of("durationMs", "Milliseconds", "serverError", "Count", "backendUnavailable", "Count", "recentCopyServed", "Count"));

    private final ReaderPages pages;
    private final OriginCheck origin;
    private final RecentPages recent;
    private final HttpApiCodec codec;
    private final JsonLog log;
    private final Clock clock;

    /** The constructor Lambda uses: settings from the process environment. */
    public PageHandler() {
        this(Config.fromEnvironment());
        // With SnapStart, Lambda snapshots the initialised function; priming first makes the
        // snapshot hold a warmed read path. The global context holds this handler until then.
        Core.getGlobalContext().register(this);
    }

    PageHandler(Config config, DynamoDbClient dynamoDb) {
        this(config, dynamoDb, Clock.systemUTC(), Sitemaps.Limits.DEFAULT);
    }

    /** With the clock deciding what is published yet, and smaller sitemaps, for tests. */
    PageHandler(Config config, DynamoDbClient dynamoDb, Clock clock, Sitemaps.Limits sitemapLimits) {
        this(config, dynamoDb, new JsonFactory(), clock, sitemapLimits);
    }

    private PageHandler(Config config) {
        this(config, AwsClients.dynamoDb(config));
    }

    private PageHandler(Config config, DynamoDbClient dynamoDb, JsonFactory json, Clock clock, Sitemaps.Limits sitemapLimits) {
        this(config, new ContentStore(dynamoDb, config.required("CONTENT_TABLE"), clock),
                new NewsletterIssues(dynamoDb, config.required("CONTENT_TABLE")), json, clock, sitemapLimits);
    }

    private PageHandler(Config config, ContentStore store, NewsletterIssues issues, JsonFactory json, Clock clock, Sitemaps.Limits sitemapLimits) {
        this(new ReaderPages(
                        store,
                        new SiteLists(store, SiteLists.ttl(config), clock),
                        new NewsletterArchive(issues),
                        TemplateEngine.createPrecompiled(null, ContentType.Html, PageHandler.class.getClassLoader()),
                        new StructuredData(json),
                        Site.from(config),
                        new PreviewLinks(config.optional("PREVIEW_KEY").orElse(null), clock),
                        clock,
                        sitemapLimits),
                new OriginCheck(config.optional("ORIGIN_SECRETS").orElse(null)),
                new RecentPages(256, 200_000, Duration.ofMinutes(15), clock),
                new HttpApiCodec(json),
                new JsonLog(System.out, json, clock),
                clock);
    }

    PageHandler(ReaderPages pages, OriginCheck origin, RecentPages recent, HttpApiCodec codec, JsonLog log, Clock clock) {
        this.pages = pages;
        this.origin = origin;
        this.recent = recent;
        this.codec = codec;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        for (RuntimeException failure : pages.prime()) {
            log.warn("priming", "a priming step failed; the snapshot is taken anyway", Map.of("error", String.valueOf(failure)));
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // The SDK re-opens connections and re-resolves credentials as needed; kept lists are dropped
        // (priming leaves none, but a snapshot must never serve what was read before it).
        pages.forgetSiteLists();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long start = clock.millis();
        String requestId = context == null ? "" : context.getAwsRequestId();
        HttpApiRequest request;
        try {
            request = codec.read(input);
        } catch (IOException e) {
            log.error(requestId, "unreadable event", Map.of(), e);
            HttpApiResponse response = pages.serverError();
            codec.write(response, output);
            served(requestId, "unreadable", "", response, start, Outcome.FRESH);
            return;
        }
        // The CDN keys pages on the path and the list cursor alone, and so does the recent copy.
        String address = request.rawPath() + request.query("after").map(after -> "?after=" + after).orElse("");
        HttpApiResponse response;
        Outcome outcome = Outcome.FRESH;
        try {
            if (!origin.admits(request)) {
                response = pages.notThroughTheSite();
            } else {
                response = pages.respond(request);
                recent.remember(address, response);
            }
        } catch (RuntimeException e) {
            if (BackendOutage.isOutage(e)) {
                Optional<HttpApiResponse> copy = recent.recall(address);
                outcome = copy.isPresent() ? Outcome.RECENT_COPY : Outcome.UNAVAILABLE;
                log.warn(requestId, copy.isPresent() ? "content table unavailable; served a recent copy" : "content table unavailable",
                        Map.of("route", request.routeKey(), "path", request.rawPath(), "error", String.valueOf(e)));
                response = copy.orElseGet(pages::unavailable);
            } else {
                log.error(requestId, "page failed", Map.of("route", request.routeKey(), "path", request.rawPath()), e);
                response = pages.serverError();
            }
        }
        if (request.method().equals("HEAD")) {
            response = new HttpApiResponse(response.statusCode(), response.headers(), response.cookies(), "", false);
        }
        codec.write(response, output);
        served(requestId, request.routeKey(), request.rawPath(), response, start, outcome);
    }

    private enum Outcome { FRESH, RECENT_COPY, UNAVAILABLE }

    private void served(String requestId, String route, String path, HttpApiResponse response, long start, Outcome outcome) {
        log.infoWithMetrics(requestId, "page served", Map.of(
                "route", route,
                "path", path,
                "status", response.statusCode(),
                "durationMs", clock.millis() - start,
                "serverError", response.statusCode() >= 500 && outcome != Outcome.UNAVAILABLE ? 1 : 0,
                "backendUnavailable", outcome == Outcome.UNAVAILABLE ? 1 : 0,
                "recentCopyServed", outcome == Outcome.RECENT_COPY ? 1 : 0), METRICS);
    }
}
