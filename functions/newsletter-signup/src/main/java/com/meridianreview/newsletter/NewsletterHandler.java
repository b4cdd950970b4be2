package com.meridianreview.newsletter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BackendOutage;
import com.meridianreview.core.Config;
import com.meridianreview.core.HttpApiCodec;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.JsonText;
import com.meridianreview.core.OriginCheck;
import com.meridianreview.core.Problem;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The newsletter's function: signups from the box on every page, the confirm and unsubscribe
 * pages its mail links to, one-click unsubscribe (RFC 8058), and two operator commands given as
 * a direct invocation ({@code {"admin":{"export":true}}}, {@code {"admin":{"erase":"address"}}}).
 */
public final class NewsletterHandler implements RequestStreamHandler {

    static final String SUBSCRIBE = "POST /api/newsletter/subscriptions";
    static final String CONFIRM_PAGE = "GET /newsletter/confirm";
    static final String CONFIRM = "POST /newsletter/confirm";
    static final String UNSUBSCRIBE_PAGE = "GET /newsletter/unsubscribe";
    static final String UNSUBSCRIBE = "POST /newsletter/unsubscribe";
    static final String SCRIPT = "GET /newsletter/box.js";
    /** A mail client sends an SES mail through at least one second of network; a signup waits for it. */
    static final AwsClients.Budget MAIL = new AwsClients.Budget(Duration.ofSeconds(3), Duration.ofSeconds(6));
    private static final String ACCEPTED_JSON = "{\"status\":\"accepted\",\"message\":\"Check your inbox: if this address can receive our mail,"
            + " a message to confirm your subscription is on its way.\"}";
    private static final JsonLog.Metrics METRICS = new JsonLog.Metrics("MeridianReview/Newsletter", List.of("route"),
            Map.of("durationMs", "Milliseconds", "mailSent", "Count", "limited", "Count", "serverError", "Count"));

    private final OriginCheck origin;
    private final Subscriptions subscriptions;
    private final Subscribers subscribers;
    private final NewsletterTokens tokens;
    private final NewsletterPages pages;
    private final Set<String> lists;
    private final Set<String> consentVersions;
    private final String script;
    private final HttpApiCodec codec;
    private final JsonFactory json;
    private final JsonLog log;
    private final Clock clock;

    /** The constructor Lambda uses: settings from the process environment. */
    public NewsletterHandler() {
        this(Config.fromEnvironment(), Clock.systemUTC());
    }

    private NewsletterHandler(Config config, Clock clock) {
        this(config, AwsClients.dynamoDb(config), sesClient(config), new JsonFactory(), clock);
    }

    /** SES may be in another region than the function (where the sending identity is verified). */
    private static SesV2Client sesClient(Config config) {
        software.amazon.awssdk.services.sesv2.SesV2ClientBuilder builder = AwsClients.configure(SesV2Client.builder(), config, "AWS_ENDPOINT_URL_SESV2", MAIL);
        config.optional("SES_REGION").map(software.amazon.awssdk.regions.Region::of).ifPresent(builder::region);
        return builder.build();
    }

    NewsletterHandler(Config config, DynamoDbClient dynamoDb, SesV2Client ses, JsonFactory json, Clock clock) {
        this.origin = new OriginCheck(config.optional("ORIGIN_SECRETS").orElse(null));
        this.tokens = new NewsletterTokens(config.required("NEWSLETTER_KEY"), clock);
        this.subscribers = new Subscribers(dynamoDb, config.required("SUBSCRIBERS_TABLE"), clock);
        String siteName = config.get("SITE_NAME", "The Meridian Review");
        this.pages = new NewsletterPages(siteName);
        this.subscriptions = new Subscriptions(subscribers, new RateLimits(dynamoDb, config.required("SUBSCRIBERS_TABLE"), clock),
                new Mailer(ses, config.required("NEWSLETTER_FROM"), config.optional("SES_CONFIGURATION_SET").orElse(null), siteName,
                        config.required("SITE_URL")),
                tokens, Duration.ofMinutes(Long.parseLong(config.get("RESEND_PAUSE_MINUTES", "10"))), clock);
        this.lists = names(config.get("NEWSLETTER_LISTS", "weekly"));
        this.consentVersions = names(config.required("CONSENT_VERSIONS"));
        this.script = resource("/newsletter/box.js");
        this.codec = new HttpApiCodec(json);
        this.json = json;
        this.log = new JsonLog(System.out, json, clock);
        this.clock = clock;
    }

    private static Set<String> names(String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(name -> !name.isEmpty()).forEach(names::add);
        return Set.copyOf(names);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long start = clock.millis();
        String requestId = context == null ? "" : context.getAwsRequestId();
        byte[] event = input.readAllBytes();
        Optional<Map<String, String>> admin = admin(event);
        if (admin.isPresent()) {
            output.write(administer(admin.get(), requestId).getBytes(StandardCharsets.UTF_8));
            return;
        }
        HttpApiRequest request;
        try {
            request = codec.read(new ByteArrayInputStream(event));
        } catch (IOException e) {
            log.error(requestId, "unreadable event", Map.of(), e);
            codec.write(pages.unavailable(), output);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", request.routeKey());
        HttpApiResponse response;
        try {
            response = origin.admits(request) ? respond(request, fields)
                    : pages.page(403, "Use the site's address", "<p>Please use the magazine's own address.</p>");
        } catch (RuntimeException e) {
            if (BackendOutage.isOutage(e) || e instanceof software.amazon.awssdk.services.sesv2.model.SesV2Exception) {
                log.warn(requestId, "storage or mail unavailable", Map.of("route", request.routeKey(), "error", e.getClass().getSimpleName()));
            } else {
                log.error(requestId, "newsletter request failed", Map.of("route", request.routeKey()), e);
                fields.put("serverError", 1);
            }
            response = wantsJson(request) ? problem(503, "Try again shortly", "we could not do that just now", List.of(), Map.of("retry-after", "10"))
                    : pages.unavailable();
        }
        if (request.method().equals("HEAD")) {
            response = new HttpApiResponse(response.statusCode(), response.headers(), response.cookies(), "", false);
        }
        codec.write(response, output);
        fields.put("status", response.statusCode());
        fields.put("durationMs", clock.millis() - start);
        fields.putIfAbsent("mailSent", 0);
        fields.putIfAbsent("limited", 0);
        fields.putIfAbsent("serverError", 0);
        // Never an address: the outcome and the route are what an operator needs.
        log.infoWithMetrics(requestId, "newsletter request", fields, METRICS);
    }

    private HttpApiResponse respond(HttpApiRequest request, Map<String, Object> fields) {
        return switch (request.routeKey()) {
            case SUBSCRIBE -> subscribe(request, fields);
            case CONFIRM_PAGE -> tokens.readConfirmation(request.query("token").orElse(null)).isPresent()
                    ? pages.confirmForm(request.query("token").get()) : pages.badLink(400);
            case CONFIRM -> confirm(formField(request, "token").or(() -> request.query("token")).orElse(null), fields);
            case UNSUBSCRIBE_PAGE -> tokens.readUnsubscribe(request.query("token").orElse(null)).isPresent()
                    ? pages.unsubscribeForm(request.query("token").get()) : pages.badLink(400);
            case UNSUBSCRIBE -> unsubscribe(request.query("token").or(() -> formField(request, "token")).orElse(null), fields);
            case SCRIPT -> HttpApiResponse.of(200, Map.of("content-type", "text/javascript; charset=utf-8",
                    "cache-control", "public, max-age=3600, s-maxage=86400", "x-content-type-options", "nosniff"), script);
            default -> pages.page(404, "Not found", "<p>Nothing is here.</p>");
        };
    }

    private HttpApiResponse subscribe(HttpApiRequest request, Map<String, Object> fields) {
        boolean json = request.header("content-type").map(type -> type.toLowerCase(java.util.Locale.ROOT).contains("json")).orElse(false);
        boolean answerJson = wantsJson(request);
        String body;
        try {
            body = request.bodyText();
        } catch (IllegalArgumentException e) {
            body = null;
        }
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > Signup.MAX_BODY_BYTES) {
            return answerJson ? problem(413, "Too large", "a signup is a few short fields", List.of(), Map.of())
                    : pages.page(413, "Too large", "<p>A signup is a few short fields.</p>");
        }
        Signup.Parsed parsed = Signup.parse(body, json, lists, consentVersions, this.json);
        if (parsed.signup() == null) {
            fields.put("outcome", "invalid");
            return answerJson ? problem(400, "Please check the form", "some fields are not right", parsed.errors(), Map.of()) : pages.invalid(parsed.errors());
        }
        Subscriptions.Outcome outcome = subscriptions.signUp(parsed.signup(), clientIp(request));
        if (outcome instanceof Subscriptions.Limited limited) {
            fields.put("outcome", "limited");
            fields.put("limited", 1);
            return answerJson ? problem(429, "Too many signups", "too many signups from here just now: please try again in "
                    + Math.max(1, (limited.retryAfterSeconds() + 59) / 60) + " minutes", List.of(),
                    Map.of("retry-after", Long.toString(limited.retryAfterSeconds()))) : pages.tooMany(limited.retryAfterSeconds());
        }
        Subscriptions.Accepted accepted = (Subscriptions.Accepted) outcome;
        fields.put("outcome", accepted.action());
        fields.put("mailSent", accepted.sent() ? 1 : 0);
        return answerJson ? HttpApiResponse.of(202, HttpApiResponse.privateHeaders("application/json"), ACCEPTED_JSON) : pages.accepted();
    }

    private HttpApiResponse confirm(String token, Map<String, Object> fields) {
        Optional<NewsletterTokens.Confirmation> confirmation = tokens.readConfirmation(token);
        if (confirmation.isEmpty()) {
            return pages.badLink(400);
        }
        Subscribers.Confirmed result = subscribers.confirm(confirmation.get().subscriberId(), confirmation.get().list(), confirmation.get().nonce());
        fields.put("outcome", result.name().toLowerCase(java.util.Locale.ROOT));
        return switch (result) {
            case CONFIRMED -> pages.confirmed(false);
            case ALREADY -> pages.confirmed(true);
            case NOT_VALID -> pages.badLink(400);
        };
    }

    private HttpApiResponse unsubscribe(String token, Map<String, Object> fields) {
        Optional<NewsletterTokens.Unsubscribe> unsubscribe = tokens.readUnsubscribe(token);
        if (unsubscribe.isEmpty()) {
            return pages.badLink(400);
        }
        subscribers.unsubscribe(unsubscribe.get().subscriberId(), unsubscribe.get().list());
        fields.put("outcome", "unsubscribed");
        return pages.unsubscribed();
    }

    /**
     * The reader's address, as the per-client limit counts it. The CDN names it in
     * CloudFront-Viewer-Address (the HTTP API sees only the CDN's own); that header is believed only
     * when the origin secret proves the request came through the CDN, which sets it itself. An IPv6
     * client counts by its /64, the block one subscriber line gets.
     */
    private String clientIp(HttpApiRequest request) {
        String ip = request.sourceIp();
        if (origin.enabled()) {
            ip = request.header("cloudfront-viewer-address").filter(value -> value.lastIndexOf(':') > 0)
                    .map(value -> value.substring(0, value.lastIndexOf(':'))).orElse(ip);
        }
        return network(ip);
    }

    static String network(String ip) {
        String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        if (!literal.contains(":") || !literal.matches("[0-9A-Fa-f:.]+")) {
            return literal;
        }
        try {
            byte[] address = java.net.InetAddress.getByName(literal).getAddress();
            if (address.length != 16) {
                return literal;
            }
            java.util.Arrays.fill(address, 8, 16, (byte) 0);
            return java.net.InetAddress.getByAddress(address).getHostAddress() + "/64";
        } catch (java.net.UnknownHostException e) {
            return literal;
        }
    }

    private static boolean wantsJson(HttpApiRequest request) {
        String type = request.header("content-type").orElse("").toLowerCase(java.util.Locale.ROOT);
        String accept = request.header("accept").orElse("").toLowerCase(java.util.Locale.ROOT);
        return type.contains("json") || accept.contains("application/json") && !accept.contains("text/html");
    }

    private static Optional<String> formField(HttpApiRequest request, String name) {
        String body;
        try {
            body = request.bodyText();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (body.length() > Signup.MAX_BODY_BYTES) {
            return Optional.empty();
        }
        try {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException badEscape) {
            // "%zz" is no field at all: the link is treated as missing, a 400
        }
        return Optional.empty();
    }

    private HttpApiResponse problem(int status, String title, String detail, List<Problem.FieldError> errors, Map<String, String> extra) {
        String body = new Problem(status, title, detail, errors).json(json);
        Map<String, String> headers = HttpApiResponse.privateHeaders("application/problem+json");
        headers.putAll(extra);
        return HttpApiResponse.of(status, headers, body);
    }

    /** {"admin": {"export": true}} or {"admin": {"erase": "address"}}: an operator's direct invocation, never an HTTP request. */
    private Optional<Map<String, String>> admin(byte[] event) {
        try (JsonParser parser = json.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME || !"admin".equals(parser.currentName())
                    || parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Map<String, String> command = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                command.put(name, parser.getValueAsString(""));
                parser.skipChildren();
            }
            return Optional.of(command);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String administer(Map<String, String> command, String requestId) {
        if (command.containsKey("erase")) {
            EmailAddress.Result address = EmailAddress.parse(command.get("erase"));
            if (address.address().isEmpty()) {
                return JsonText.write(json, out -> {
                    out.writeStartObject();
                    out.writeStringField("error", "erase needs an email address: " + address.problem());
                    out.writeEndObject();
                });
            }
            int erased = subscribers.erase(address.address().get());
            log.info(requestId, "subscriber erased", Map.of("items", erased));
            return "{\"erased\":" + erased + "}";
        }
        if (command.containsKey("export")) {
            List<Subscribers.Subscriber> confirmed = subscribers.confirmed();
            StringBuilder csv = new StringBuilder("email,name,list,consent_at,consent_text_version,consent_page\r\n");
            for (Subscribers.Subscriber subscriber : confirmed) {
                csv.append(quoted(subscriber.email().value())).append(',').append(csvField(subscriber.name())).append(',')
                        .append(csvField(subscriber.list())).append(',')
                        .append(csvField(subscriber.consent() == null ? null : subscriber.consent().at().toString())).append(',')
                        .append(csvField(subscriber.consent() == null ? null : subscriber.consent().textVersion())).append(',')
                        .append(csvField(subscriber.consent() == null ? null : subscriber.consent().page())).append("\r\n");
            }
            log.info(requestId, "confirmed subscribers exported", Map.of("subscribers", confirmed.size()));
            return JsonText.write(json, out -> {
                out.writeStartObject();
                out.writeNumberField("subscribers", confirmed.size());
                out.writeStringField("csv", csv.toString());
                out.writeEndObject();
            });
        }
        if (command.containsKey("reindex")) {
            int indexed = subscribers.indexConfirmed();
            log.info(requestId, "confirmed subscribers added to the mailing index", Map.of("subscribers", indexed));
            return "{\"indexed\":" + indexed + "}";
        }
        return "{\"error\":\"unknown command: use {\\\"admin\\\":{\\\"export\\\":true}}, {\\\"admin\\\":{\\\"erase\\\":\\\"address\\\"}}"
                + " or {\\\"admin\\\":{\\\"reindex\\\":true}}\"}";
    }

    /** An address as it is (it may start with - or +), always quoted so that no spreadsheet reads it as a formula. */
    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    /** RFC 4180, and no cell a spreadsheet would run as a formula. */
    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.matches("(?s)[=+\\-@\\t\\r].*") ? "'" + value : value;
        return safe.matches("(?s).*[\",\\r\\n].*") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static String resource(String name) {
        try (InputStream in = NewsletterHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the function's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
