package com.meridianreview.editor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BackendOutage;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.EditorAccess;
import com.meridianreview.core.HttpApiCodec;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.OriginCheck;
import com.meridianreview.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Editors' uploads: signs a PUT straight to the bucket for an editor's article or image, tells
 * how the upload fared once the ingest function has looked at it, and serves the editor page.
 * The HTTP API's JWT authorizer admits only signed-in users to the API routes.
 */
public final class UploadsHandler implements RequestStreamHandler {

    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Editor", List.of("route"),
            Map.of("durationMs", "Milliseconds", "uploadSigned", "Count", "refused", "Count", "serverError", "Count"));

    private final OriginCheck origin;
    private final EditorRoutes routes;
    private final HttpApiCodec codec;
    private final JsonLog log;
    private final Clock clock;

    /** The constructor Lambda uses: settings from the process environment. */
    public UploadsHandler() {
        this(Config.fromEnvironment());
    }

    private UploadsHandler(Config config) {
        this(config, AwsClients.dynamoDb(config), presigner(config), new JsonFactory(), Clock.systemUTC());
    }

    UploadsHandler(Config config, DynamoDbClient dynamoDb, S3Presigner presigner, JsonFactory json, Clock clock) {
        this(config, dynamoDb, new UploadSigner(presigner, config.required("UPLOAD_BUCKET"),
                        Duration.ofMinutes(Long.parseLong(config.get("UPLOAD_URL_MINUTES", "15")))), json, clock,
                bytes(config, "ARTICLE_MAX_BYTES", UploadRules.DEFAULT_ARTICLE_MAX_BYTES),
                bytes(config, "IMAGE_MAX_BYTES", UploadRules.DEFAULT_IMAGE_MAX_BYTES));
    }

    private UploadsHandler(Config config, DynamoDbClient dynamoDb, UploadSigner signer, JsonFactory json, Clock clock,
                           long articleMaxBytes, long imageMaxBytes) {
        this(new OriginCheck(config.optional("ORIGIN_SECRETS").orElse(null)), new EditorRoutes(
                        new EditorAccess(config.get("EDITOR_GROUPS_CLAIM", "cognito:groups"), config.get("EDITOR_GROUP", "editors")),
                        new UploadRules(articleMaxBytes, imageMaxBytes,
                                // A repeated field is refused rather than read as whichever came last.
                                JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build(), clock, new SecureRandom()),
                        signer,
                        new ContentStore(dynamoDb, config.required("CONTENT_TABLE")),
                        new EditorPage(config.get("EDITOR_SIGN_IN_URL", ""), config.get("EDITOR_CLIENT_ID", ""), signer.storeOrigin(),
                                articleMaxBytes, imageMaxBytes),
                        json, clock),
                new HttpApiCodec(json), new JsonLog(System.out, json, clock), clock);
    }

    UploadsHandler(OriginCheck origin, EditorRoutes routes, HttpApiCodec codec, JsonLog log, Clock clock) {
        this.origin = origin;
        this.routes = routes;
        this.codec = codec;
        this.log = log;
        this.clock = clock;
    }

    /** Signing needs no HTTP client: a presigned URL is computed here, never sent by this function. */
    static S3Presigner presigner(Config config) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(config.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsClients.credentials(config, AwsClients.S3_ENDPOINT));
        config.optional(AwsClients.S3_ENDPOINT).map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static long bytes(Config config, String name, long fallback) {
        String value = config.get(name, Long.toString(fallback));
        try {
            long bytes = Long.parseLong(value);
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(name + " must be a positive number of bytes, not " + value);
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
            codec.write(routes.problem(Problem.of(500, "Server error", "the request could not be read")), output);
            return;
        }
        EditorRoutes.Answer answer;
        try {
            answer = origin.admits(request) ? routes.respond(request)
                    : new EditorRoutes.Answer(routes.problem(Problem.of(403, "Use the site's address", "the editor routes are reached through the site")),
                            new LinkedHashMap<>());
        } catch (RuntimeException e) {
            Map<String, Object> fields = Map.of("route", request.routeKey());
            if (BackendOutage.isOutage(e)) {
                log.warn(requestId, "storage unavailable", Map.of("route", request.routeKey(), "error", String.valueOf(e)));
                answer = new EditorRoutes.Answer(routes.problem(Problem.of(503, "Try again shortly", "upload state cannot be read just now")), fields);
            } else {
                log.error(requestId, "editor request failed", fields, e);
                answer = new EditorRoutes.Answer(routes.problem(Problem.of(500, "Server error", "the request failed; it has been logged")), fields);
            }
        }
        HttpApiResponse response = answer.response();
        codec.write(response, output);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", request.routeKey());
        fields.putAll(answer.log());
        fields.put("status", response.statusCode());
        fields.put("durationMs", clock.millis() - start);
        fields.put("uploadSigned", response.statusCode() == 201 ? 1 : 0);
        fields.put("refused", response.statusCode() >= 400 && response.statusCode() < 500 ? 1 : 0);
        fields.put("serverError", response.statusCode() >= 500 ? 1 : 0);
        log.infoWithMetrics(requestId, "editor request", fields, METRICS);
    }
}
