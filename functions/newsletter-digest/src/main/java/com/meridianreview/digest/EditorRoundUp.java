package com.meridianreview.digest;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.EditorAccess;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.JsonLog;
import com.meridianreview.core.JsonText;
import com.meridianreview.core.OriginCheck;
import com.meridianreview.core.Problem;
import com.meridianreview.subscribers.EmailAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The editors' side of the round-up, behind the HTTP API's JWT authorizer: a preview of the next
 * issue as it stands now, and a test send of it to one address.
 */
final class EditorRoundUp {

    static final String PREVIEW = "GET /api/editor/newsletter/preview";
    static final String TEST_SEND = "POST /api/editor/newsletter/test-sends";
    static final int MAX_BODY = 2048;
    /** The preview is the archive page with inline styles and images from anywhere the stories' images are; never a script. */
    static final String PREVIEW_POLICY = "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'self'";

    private final RoundUps roundUps;
    private final OriginCheck origin;
    private final EditorAccess access;
    private final JsonFactory json;

    EditorRoundUp(RoundUps roundUps, OriginCheck origin, EditorAccess access, JsonFactory json) {
        this.roundUps = roundUps;
        this.origin = origin;
        this.access = access;
        this.json = json;
    }

    HttpApiResponse respond(HttpApiRequest request, String requestId, JsonLog log) {
        // As every route: editors come through the CDN, never to the HTTP API's own address.
        if (!origin.admits(request)) {
            return problem(Problem.of(403, "Use the site's address", "the editors' API is reached through the site"));
        }
        Optional<Problem> refusal = access.refusal(request);
        if (refusal.isPresent()) {
            return problem(refusal.get());
        }
        String editor = EditorAccess.subject(request).orElse("");
        switch (request.routeKey()) {
            case PREVIEW -> {
                Optional<String> page = roundUps.preview();
                log.info(requestId, "round-up previewed", Map.of("editor", editor, "stories", page.isPresent()));
                if (page.isEmpty()) {
                    return problem(Problem.of(404, "No issue yet", "nothing was published in the last seven days, so there is no issue to show"));
                }
                Map<String, String> headers = HttpApiResponse.privateHeaders("text/html; charset=utf-8");
                headers.put("content-security-policy", PREVIEW_POLICY);
                return HttpApiResponse.of(200, headers, page.get());
            }
            case TEST_SEND -> {
                String body = request.bodyText();
                if (body == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY) {
                    return problem(Problem.of(400, "Say where to send it", "send {\"to\": \"you@example.org\"}, at most " + MAX_BODY + " bytes"));
                }
                Object parsed;
                try {
                    parsed = JsonValues.read(json, body.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return problem(Problem.of(400, "Not JSON", "send {\"to\": \"you@example.org\"}"));
                }
                EmailAddress.Result to = EmailAddress.parse(JsonValues.text(parsed, "to").orElse(""));
                if (to.address().isEmpty()) {
                    return problem(new Problem(400, "Check the address", "the test goes to one address",
                            List.of(new Problem.FieldError("to", to.problem()))));
                }
                Optional<String> messageId = roundUps.testSend(to.address().get());
                log.info(requestId, "round-up test sent", Map.of("editor", editor, "to", to.address().get().id(), "sent", messageId.isPresent()));
                if (messageId.isEmpty()) {
                    return problem(Problem.of(404, "No issue yet", "nothing was published in the last seven days, so there is nothing to send"));
                }
                String answer = JsonText.write(json, out -> {
                    out.writeStartObject();
                    out.writeStringField("status", "sent");
                    out.writeStringField("messageId", messageId.get());
                    out.writeEndObject();
                });
                return HttpApiResponse.of(202, HttpApiResponse.privateHeaders("application/json"), answer);
            }
            default -> {
                return problem(Problem.of(404, "Not found", "no such round-up route"));
            }
        }
    }

    private HttpApiResponse problem(Problem problem) {
        return HttpApiResponse.of(problem.status(), HttpApiResponse.privateHeaders("application/problem+json"), problem.json(json));
    }
}
