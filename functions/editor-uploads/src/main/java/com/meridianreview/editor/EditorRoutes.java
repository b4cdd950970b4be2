package com.meridianreview.editor;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.EditorAccess;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonText;
import com.meridianreview.core.Problem;
import com.meridianreview.core.UploadReport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The editor routes: a signed upload URL for an editor's file, the state of an upload, and the
 * editor page. Each answer comes with what its log line should say about it.
 */
final class EditorRoutes {

    static final String UPLOADS = "POST /api/editor/uploads";
    static final String STATUS = "GET /api/editor/uploads/status";
    static final String PAGE = "GET /editor";
    static final String ASSET = "GET /editor/{asset}";

    /** A response and the fields its log line carries (never a token, never the file's content). */
    record Answer(HttpApiResponse response, Map<String, Object> log) {
    }

    private final EditorAccess access;
    private final UploadRules rules;
    private final UploadSigner signer;
    private final ContentStore store;
    private final EditorPage page;
    private final JsonFactory json;
    private final java.time.Clock clock;

    EditorRoutes(EditorAccess access, UploadRules rules, UploadSigner signer, ContentStore store, EditorPage page, JsonFactory json,
                 java.time.Clock clock) {
        this.access = access;
        this.rules = rules;
        this.signer = signer;
        this.store = store;
        this.page = page;
        this.json = json;
        this.clock = clock;
    }

    Answer respond(HttpApiRequest request) {
        Map<String, Object> log = new LinkedHashMap<>();
        switch (request.routeKey()) {
            case PAGE -> {
                return new Answer(page.respond(null), log);
            }
            case ASSET -> {
                return new Answer(page.respond(request.pathParameter("asset").orElse("")), log);
            }
            case UPLOADS, STATUS -> {
                EditorAccess.subject(request).ifPresent(subject -> log.put("editor", subject));
                Optional<Problem> refused = access.refusal(request);
                if (refused.isPresent()) {
                    return new Answer(problem(refused.get()), log);
                }
                return request.routeKey().equals(UPLOADS) ? upload(request, log) : status(request, log);
            }
            default -> {
                return new Answer(problem(Problem.of(404, "Not found", "no editor route at " + request.rawPath())), log);
            }
        }
    }

    private Answer upload(HttpApiRequest request, Map<String, Object> log) {
        String body;
        try {
            body = request.bodyText();
        } catch (IllegalArgumentException notBase64) {
            return new Answer(problem(Problem.of(400, "Unreadable body", "the body could not be decoded")), log);
        }
        UploadRules.Checked checked = rules.check(body);
        if (checked instanceof UploadRules.Refused refused) {
            return new Answer(problem(refused.problem()), log);
        }
        UploadPlan plan = ((UploadRules.Accepted) checked).plan();
        UploadSigner.SignedUpload signed = signer.sign(plan);
        log.put("key", plan.key());
        log.put("kind", plan.kind().wireName());
        log.put("size", plan.size());
        // An article's key is its slug, so a corrected file reuses the key of the rejected one: the
        // status asks for a report written after this URL was signed, never the earlier file's.
        String statusUrl = "/api/editor/uploads/status?key=" + URLEncoder.encode(plan.key(), StandardCharsets.UTF_8)
                + "&since=" + clock.millis();
        String answer = JsonText.write(json, out -> {
            out.writeStartObject();
            out.writeStringField("uploadUrl", signed.url());
            out.writeStringField("method", "PUT");
            out.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : signed.headers().entrySet()) {
                out.writeStringField(header.getKey(), header.getValue());
            }
            out.writeEndObject();
            out.writeStringField("key", plan.key());
            out.writeStringField("kind", plan.kind().wireName());
            out.writeStringField("expiresAt", signed.expiresAt().toString());
            out.writeStringField("statusUrl", statusUrl);
            out.writeEndObject();
        });
        Map<String, String> headers = HttpApiResponse.privateHeaders("application/json");
        headers.put("location", statusUrl);
        return new Answer(HttpApiResponse.of(201, headers, answer), log);
    }

    private Answer status(HttpApiRequest request, Map<String, Object> log) {
        Optional<String> key = request.query("key");
        if (key.isEmpty() || !UploadRules.isUploadKey(key.get())) {
            return new Answer(problem(new Problem(400, "Not an upload", "key must be the key an upload request answered with",
                    java.util.List.of(new Problem.FieldError("key", "key must be a key under incoming/ as an upload request gave it")))), log);
        }
        Optional<String> sinceText = request.query("since");
        if (sinceText.isPresent() && !sinceText.get().matches("\\d{1,15}")) {
            return new Answer(problem(new Problem(400, "Not an upload", "since must be the time an upload request gave in statusUrl",
                    java.util.List.of(new Problem.FieldError("since", "since must be a number of milliseconds")))), log);
        }
        java.time.Instant since = java.time.Instant.ofEpochMilli(sinceText.map(Long::parseLong).orElse(0L));
        log.put("key", key.get());
        // No report yet means the ingest has not finished with the file (or it has not arrived): waiting
        // is the truthful answer; so it is while the only report is of an earlier file under the same key.
        Optional<UploadReport> report = store.uploadReport(key.get()).filter(r -> !r.checkedAt().isBefore(since));
        String answer = JsonText.write(json, out -> {
            out.writeStartObject();
            out.writeStringField("key", key.get());
            out.writeStringField("state", report.map(r -> r.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("waiting"));
            if (report.isPresent()) {
                if (report.get().page() != null) {
                    out.writeStringField("page", report.get().page());
                }
                out.writeArrayFieldStart("problems");
                for (String problem : report.get().problems()) {
                    out.writeString(problem);
                }
                out.writeEndArray();
                out.writeStringField("checkedAt", report.get().checkedAt().toString());
            } else {
                out.writeArrayFieldStart("problems");
                out.writeEndArray();
            }
            out.writeEndObject();
        });
        log.put("state", report.map(r -> r.state().name()).orElse("WAITING"));
        return new Answer(HttpApiResponse.of(200, HttpApiResponse.privateHeaders("application/json"), answer), log);
    }

    /** An RFC 9457 problem document for {@code refusal}. */
    HttpApiResponse problem(Problem refusal) {
        String body = refusal.json(json);
        Map<String, String> headers = HttpApiResponse.privateHeaders("application/problem+json");
        if (refusal.status() == 401) {
            headers.put("www-authenticate", "Bearer");
        } else if (refusal.status() == 503) {
            headers.put("retry-after", "10");
        }
        return HttpApiResponse.of(refusal.status(), headers, body);
    }
}
