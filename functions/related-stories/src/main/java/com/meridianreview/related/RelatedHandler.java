package com.meridianreview.related;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BackendOutage;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.HttpApiCodec;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.OriginCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The related-stories API: for a published article, the stories kept as related to it at
 * publish, best first. Read-only, one GetItem per look-up.
 */
public final class RelatedHandler implements RequestStreamHandler {

    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Related", List.of(),
            Map.of("durationMs", "Milliseconds", "stories", "Count", "serverError", "Count", "backendUnavailable", "Count"));

    private final OriginCheck origin;
    private final RelatedAnswers answers;
    private final HttpApiCodec codec;
    private final JsonLog log;
    private final Clock clock;

    /** The constructor Lambda uses: settings from the process environment. */
    public RelatedHandler() {
        this(Config.fromEnvironment());
    }

    private RelatedHandler(Config config) {
        this(config, AwsClients.dynamoDb(config), new JsonFactory(), Clock.systemUTC());
    }

    RelatedHandler(Config config, DynamoDbClient dynamoDb, JsonFactory json, Clock clock) {
        this(new OriginCheck(config.optional("ORIGIN_SECRETS").orElse(null)), new RelatedAnswers(new ContentStore(dynamoDb, config.required("CONTENT_TABLE"), clock), config.required("SITE_URL"),
                        config.get("IMAGE_BASE_URL", "/images/"), json, clock),
                new HttpApiCodec(json), new JsonLog(System.out, json, clock), clock);
    }

    RelatedHandler(OriginCheck origin, RelatedAnswers answers, HttpApiCodec codec, JsonLog log, Clock clock) {
        this.origin = origin;
        this.answers = answers;
        this.codec = codec;
        this.log = log;
        this.clock = clock;
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
            codec.write(answers.problem(500, "Server error", "the request could not be read", null, RelatedAnswers.NO_STORE), output);
            return;
        }
        RelatedAnswers.Answer answer;
        boolean outage = false;
        try {
            // As the pages: readers come through the CDN, never to the HTTP API's own address.
            answer = origin.admits(request) ? answers.respond(request)
                    : new RelatedAnswers.Answer(answers.problem(403, "Use the site's address", "the API is reached through the site", null,
                            RelatedAnswers.NO_STORE), 0);
        } catch (RuntimeException e) {
            outage = BackendOutage.isOutage(e);
            if (outage) {
                log.warn(requestId, "content table unavailable", Map.of("path", request.rawPath(), "error", String.valueOf(e)));
                answer = new RelatedAnswers.Answer(answers.problem(503, "Try again shortly", "related stories cannot be read just now", null,
                        RelatedAnswers.NO_STORE), 0);
            } else {
                log.error(requestId, "look-up failed", Map.of("path", request.rawPath()), e);
                answer = new RelatedAnswers.Answer(answers.problem(500, "Server error", "the look-up failed; it has been logged", null,
                        RelatedAnswers.NO_STORE), 0);
            }
        }
        codec.write(answer.response(), output);
        int status = answer.response().statusCode();
        log.infoWithMetrics(requestId, "related stories", Map.of(
                "path", request.rawPath(),
                "status", status,
                "stories", answer.stories(),
                "durationMs", clock.millis() - start,
                "serverError", status >= 500 && !outage ? 1 : 0,
                "backendUnavailable", outage ? 1 : 0), METRICS);
    }
}
