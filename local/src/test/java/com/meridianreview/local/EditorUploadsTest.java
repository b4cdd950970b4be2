package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An editor's upload through the runner, as the template declares it: the authorizer admits only
 * valid tokens, the function admits only editors and signs only what the rules allow, the store
 * takes exactly the file that was signed for, and the upload's state follows it to its page.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditorUploadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPLOADS = "/api/editor/uploads";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private TestResources resources;
    private LocalRunner runner;
    private S3Client s3;
    private String bucket;
    private String editor;

    @BeforeAll
    void start(TestResources resources) {
        this.resources = resources;
        runner = LocalRunner.start(new LocalRunner.Options(0, null, false, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
        s3 = S3Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials()).endpointOverride(resources.emulators().s3Endpoint()).build();
        bucket = runner.functions().stream().filter(f -> f.logicalId().equals("EditorUploadsFunction")).findFirst().orElseThrow()
                .environment().get("UPLOAD_BUCKET");
        editor = runner.token("ana", "Ana Editor", List.of("editors"), Duration.ofMinutes(10));
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void theAuthorizerRefusesEveryTokenItShouldNotTrust() throws Exception {
        IdentityProvider identity = runner.identity();
        SamApplication.JwtAuthorizer authorizer = runner.authorizer();
        IdentityProvider.Holder holder = new IdentityProvider.Holder("ana", "Ana Editor", null, List.of("editors"), Duration.ofMinutes(10));
        String valid = identity.issue(authorizer, holder);
        String[] parts = valid.split("\\.");
        char last = parts[2].charAt(10);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("not a JWT", "Bearer not-a-token");
        refused.put("expired", identity.at(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).issue(authorizer, holder));
        refused.put("not yet valid", identity.at(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).issue(authorizer, holder));
        refused.put("wrong issuer", identity.issue(new SamApplication.JwtAuthorizer("x", "https://issuer.example.org", authorizer.audiences()), holder));
        refused.put("wrong audience", identity.issue(new SamApplication.JwtAuthorizer("x", authorizer.issuer(), List.of("another-client")), holder));
        refused.put("bad signature", tampered);
        refused.put("another key", IdentityProvider.in(null, Clock.systemUTC()).issue(authorizer, holder));
        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> upload = post(token.getValue(), article("a-story.md", 100));
            assertEquals(401, upload.statusCode(), token.getKey() + ": " + upload.body());
            assertEquals("{\"message\":\"Unauthorized\"}", upload.body(), token.getKey());
            HttpResponse<String> status = get("/api/editor/uploads/status?key=incoming%2Farticles%2Fa-story.md", token.getValue());
            assertEquals(401, status.statusCode(), token.getKey());
        }
        String reader = runner.token("reader", "A Reader", List.of(), Duration.ofMinutes(10));
        String otherGroup = runner.token("staff", "Staff", List.of("marketing"), Duration.ofMinutes(10));
        for (String token : List.of(reader, otherGroup)) {
            HttpResponse<String> upload = post(token, article("a-story.md", 100));
            assertEquals(403, upload.statusCode(), upload.body());
            assertEquals("application/problem+json", upload.headers().firstValue("content-type").orElse(""));
            assertEquals(403, JSON.readTree(upload.body()).get("status").asInt());
        }
        // API Gateway takes client_id for the audience only when there is no aud.
        Instant now = Instant.now();
        com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(authorizer.issuer()).subject("ana")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).claim("cognito:groups", List.of("editors"));
        assertEquals(401, post(identity.sign(claims.audience("another-client").claim("client_id", authorizer.audiences().get(0)).build()),
                article("a-story.md", 100)).statusCode(), "a wrong aud is not rescued by client_id");
        assertEquals(201, post(identity.sign(claims.audience((String) null).claim("client_id", authorizer.audiences().get(0)).build()),
                article("a-story.md", 100)).statusCode(), "an access token (client_id, no aud) is let in");
        assertEquals(401, post(identity.sign(claims.audience(authorizer.audiences().get(0)).issueTime(Date.from(now.plusSeconds(3600))).build()),
                article("a-story.md", 100)).statusCode(), "issued in the future");

        assertEquals(201, post(valid, article("a-story.md", 100)).statusCode(), "and the editor is let in");
        // The function's log line for that request is written before its answer; the runner copies it out within moments.
        long deadline = System.currentTimeMillis() + 10_000;
        while (!output.toString(StandardCharsets.UTF_8).contains("\"editor\":\"ana\"") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        String log = output.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("\"editor\":\"ana\""), "the editor's subject is logged");
        assertFalse(log.contains(valid) || log.contains(parts[2]), "no token is ever logged");
        assertFalse(log.contains(editor), "no token is ever logged");
    }

    @Test
    void anArticleGoesFromSignedUrlToItsPage() throws Exception {
        // A sample story whose top image is one an editor uploaded first, under the name the server gave it.
        String image = uploadImage();
        byte[] source = Files.readString(LocalRunnerTest.SAMPLES.resolve("articles/quiet-channels-reopen-between-gulf-rivals.md"))
                .replace("key: \"quiet-channels.jpg\"", "key: \"" + image + "\"").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = post(editor, article("talks-in-muscat-from-the-editor.md", source.length));
        assertEquals(201, answer.statusCode(), answer.body());
        JsonNode upload = JSON.readTree(answer.body());
        assertEquals("incoming/articles/talks-in-muscat-from-the-editor.md", upload.get("key").asText());
        assertEquals("PUT", upload.get("method").asText());
        assertEquals(Map.of("Content-Type", "text/markdown", "Content-Length", Integer.toString(source.length)), headers(upload));
        Duration validFor = Duration.between(Instant.now(), Instant.parse(upload.get("expiresAt").asText()));
        assertTrue(validFor.compareTo(Duration.ofMinutes(15)) <= 0 && validFor.compareTo(Duration.ofMinutes(10)) > 0, validFor.toString());

        assertEquals(200, put(upload, source, "text/markdown").statusCode());
        assertEquals("text/markdown", s3.headObject(r -> r.bucket(bucket).key(upload.get("key").asText())).contentType());

        JsonNode status = awaitReport(upload);
        assertEquals("published", status.get("state").asText(), status.toString());
        assertEquals("/articles/talks-in-muscat-from-the-editor", status.get("page").asText());
        HttpResponse<String> page = get(status.get("page").asText(), null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Quiet Channels Reopen Between Gulf Rivals"));
    }

    @Test
    void anImageIsPublishedUnderTheNameTheServerGaveIt() throws Exception {
        String name = uploadImage();
        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(address("/images/" + name)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
    }

    /** Uploads a PNG as an editor would and returns the name it is published under. */
    private String uploadImage() throws Exception {
        byte[] png = png(640, 400);
        HttpResponse<String> answer = post(editor, body("image", "Harbour at dusk (final).PNG", "image/png", png.length));
        assertEquals(201, answer.statusCode(), answer.body());
        JsonNode upload = JSON.readTree(answer.body());
        String key = upload.get("key").asText();
        assertTrue(key.matches("incoming/images/\\d{4}/\\d{2}/[0-9a-f]{24}\\.png"), key);
        assertEquals(200, put(upload, png, "image/png").statusCode());
        JsonNode status = awaitReport(upload);
        assertEquals("published", status.get("state").asText(), status.toString());
        String page = status.get("page").asText();
        String name = key.substring(key.lastIndexOf('/') + 1);
        assertEquals("/images/" + name, page);
        return name;
    }

    @Test
    void aRejectedUploadListsItsProblems() throws Exception {
        byte[] source = "---\nheadline: \"\"\nsection: \"Diplomacy Watch\"\n---\n\nNo headline.\n".getBytes(StandardCharsets.UTF_8);
        JsonNode upload = JSON.readTree(post(editor, article("a-story-without-a-headline.md", source.length)).body());
        assertEquals(200, put(upload, source, "text/markdown").statusCode());
        JsonNode status = awaitReport(upload);
        assertEquals("rejected", status.get("state").asText(), status.toString());
        assertTrue(status.get("problems").size() > 0);
        assertTrue(status.get("problems").toString().contains("headline"), status.toString());
    }

    @Test
    void aCorrectedArticleIsFollowedAsItselfNotAsTheFileItReplaces() throws Exception {
        byte[] broken = "---\nheadline: \"\"\n---\n\nNo headline.\n".getBytes(StandardCharsets.UTF_8);
        JsonNode first = JSON.readTree(post(editor, article("fixed-on-the-second-try.md", broken.length)).body());
        assertEquals(200, put(first, broken, "text/markdown").statusCode());
        assertEquals("rejected", awaitReport(first).get("state").asText());

        Thread.sleep(5);
        JsonNode second = JSON.readTree(post(editor, article("fixed-on-the-second-try.md", 10)).body());
        assertEquals(first.get("key").asText(), second.get("key").asText(), "an article's key is its slug");
        HttpResponse<String> before = get(second.get("statusUrl").asText(), editor);
        assertEquals("waiting", JSON.readTree(before.body()).get("state").asText(),
                "the earlier file's rejection is not this upload's answer: " + before.body());
        HttpResponse<String> stale = get("/api/editor/uploads/status?key=" + URLEncoder.encode(first.get("key").asText(), StandardCharsets.UTF_8)
                + "&since=abc", editor);
        assertEquals(400, stale.statusCode());
    }

    @Test
    void theStoreTakesOnlyTheFileThatWasSignedFor() throws Exception {
        byte[] source = "---\nheadline: x\n---\n".getBytes(StandardCharsets.UTF_8);
        JsonNode upload = JSON.readTree(post(editor, article("signed-for-one-file.md", source.length)).body());
        String url = upload.get("uploadUrl").asText();
        assertEquals(403, put(url, source, "text/plain").statusCode(), "another type");
        assertEquals(403, put(url, "x".repeat(source.length + 5000).getBytes(StandardCharsets.UTF_8), "text/markdown").statusCode(), "a larger file");
        assertEquals(403, put(url, new byte[source.length - 1], "text/markdown").statusCode(), "a smaller file");
        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String altered = url.replace(signature, (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1));
        assertEquals(403, put(altered, source, "text/markdown").statusCode(), "an altered signature");
        assertEquals(403, put(url.replace("signed-for-one-file.md", "another-file.md"), source, "text/markdown").statusCode(), "another key");
        assertEquals(403, put(url.replace("/incoming/", "/images/"), source, "text/markdown").statusCode(), "another folder");
        assertTrue(keys("incoming/articles/").stream().noneMatch(key -> key.contains("signed-for-one-file") || key.contains("another-file")),
                "nothing was written");

        // An expired URL: signed by the same rules for one second, tried after it ran out.
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
                .endpointOverride(resources.emulators().s3Endpoint()).build()) {
            String shortLived = presigner.presignPutObject(r -> r.signatureDuration(Duration.ofSeconds(1))
                    .putObjectRequest(p -> p.bucket(bucket).key("incoming/articles/expired-url.md").contentType("text/markdown")
                            .contentLength((long) source.length))).url().toString();
            Thread.sleep(2100);
            assertEquals(403, put(shortLived, source, "text/markdown").statusCode(), "an expired URL");
        }
        assertTrue(keys("incoming/articles/expired-url").isEmpty());
    }

    @Test
    void oddRequestsGetAProblemDocumentAndNothingIsSigned() throws Exception {
        List<String> before = keys("incoming/");
        Map<String, Integer> odd = new LinkedHashMap<>();
        odd.put("{", 400);
        odd.put("", 400);
        odd.put("null", 400);
        odd.put("[]", 400);
        odd.put("\"article\"", 400);
        odd.put("{}", 400);
        odd.put("{\"kind\":\"article\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":10} trailing", 400);
        odd.put("{\"kind\":\"article\",\"kind\":\"image\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":10}", 400);
        odd.put(body("video", "a.mp4", "video/mp4", 10), 400);
        odd.put(body("article", "a.md", "text/markdown", -5), 400);
        odd.put(body("article", "a.md", "text/markdown", 0), 400);
        odd.put("{\"kind\":\"article\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":1.5}", 400);
        odd.put("{\"kind\":\"article\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":\"10\"}", 400);
        odd.put("{\"kind\":[\"article\"],\"fileName\":{\"a\":1},\"contentType\":7,\"size\":10}", 400);
        odd.put(body("article", "../../etc/passwd.md", "text/markdown", 10), 400);
        odd.put(body("article", "..\\evil.md", "text/markdown", 10), 400);
        odd.put(body("article", "bell\u0007.md", "text/markdown", 10), 400);
        odd.put(body("article", "Has Capitals.md", "text/markdown", 10), 400);
        odd.put(body("article", "a-story.txt", "text/markdown", 10), 400);
        odd.put(body("image", "photo.png", "image/jpeg", 10), 400);
        odd.put(body("image", "x".repeat(300) + ".png", "image/png", 10), 400);
        odd.put(body("image", "drawing.svg", "image/svg+xml", 10), 415);
        odd.put(body("image", "page.html", "text/html", 10), 415);
        odd.put(body("article", "a-story.md", "text/html", 10), 415);
        odd.put(body("article", "a-story.md", "text/markdown", 1024 * 1024 + 1), 413);
        odd.put(body("image", "photo.jpg", "image/jpeg", 20L * 1024 * 1024 + 1), 413);
        odd.put("{\"kind\":\"image\",\"fileName\":\"photo.jpg\",\"contentType\":\"image/jpeg\",\"size\":123456789012345678901234567890}", 413);
        odd.put("{\"kind\":\"article\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", 413);
        for (Map.Entry<String, Integer> request : odd.entrySet()) {
            String shown = request.getKey().length() > 80 ? request.getKey().substring(0, 80) + "…" : request.getKey();
            HttpResponse<String> answer = post(editor, request.getKey());
            assertEquals(request.getValue(), answer.statusCode(), shown + " → " + answer.body());
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""), shown);
            JsonNode problem = JSON.readTree(answer.body());
            assertEquals(request.getValue(), problem.get("status").asInt(), shown);
            assertFalse(problem.get("detail").asText().isBlank(), shown);
            assertFalse(answer.body().contains("Exception"), shown + " shows no stack trace");
        }
        // Every bad field is listed at once, each by name.
        JsonNode problem = JSON.readTree(post(editor, "{\"kind\":\"poem\",\"fileName\":\"../x\",\"size\":-1}").body());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertEquals(List.of("kind", "contentType", "fileName", "size"), fields);
        assertEquals(before, keys("incoming/"), "nothing was written");
    }

    @Test
    void theStatusOfAKeyNoUploadCouldHaveIsABadRequest() throws Exception {
        for (String key : List.of("", "articles/x.md", "incoming/../articles/x.md", "incoming/articles/X.md", "incoming/images/2026/11/abc.svg")) {
            HttpResponse<String> answer = get("/api/editor/uploads/status?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), editor);
            assertEquals(400, answer.statusCode(), key);
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""));
        }
        HttpResponse<String> waiting = get("/api/editor/uploads/status?key=incoming%2Farticles%2Fnever-uploaded.md", editor);
        assertEquals(200, waiting.statusCode());
        assertEquals("waiting", JSON.readTree(waiting.body()).get("state").asText());
        assertEquals("no-store", waiting.headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void theEditorPageIsServedWithAssetsThatCanBeCachedForAYear() throws Exception {
        HttpResponse<String> page = get("/editor", null);
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(policy.contains("script-src 'self'"), policy);
        String store = resources.emulators().s3Endpoint().toString().replaceAll("/+$", "");
        assertTrue(policy.contains("connect-src 'self' " + store + ";"), "the page may send files to the store and nowhere else: " + policy);
        assertTrue(page.body().contains("<meta name=\"editor-article-max-bytes\" content=\"1048576\">"), "the page checks the server's caps");
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""));
        java.util.regex.Matcher assets = java.util.regex.Pattern.compile("/editor/editor\\.[0-9a-f]{10}\\.(css|js)").matcher(page.body());
        int found = 0;
        while (assets.find()) {
            found++;
            HttpResponse<String> asset = get(assets.group(), null);
            assertEquals(200, asset.statusCode(), assets.group());
            assertEquals("public, max-age=31536000, immutable", asset.headers().firstValue("cache-control").orElse(""));
        }
        assertEquals(2, found, "a stylesheet and a script, by content hash");
        assertEquals(404, get("/editor/editor.0000000000.js", null).statusCode());
        // Locally no hosted sign-in is configured: the page offers the pasted token only.
        assertTrue(page.body().contains("<meta name=\"editor-auth-url\" content=\"\">"));
    }

    private JsonNode awaitReport(JsonNode upload) throws Exception {
        assertTrue(runner.awaitEvents(Duration.ofSeconds(60)));
        HttpResponse<String> status = get(upload.get("statusUrl").asText(), editor);
        assertEquals(200, status.statusCode(), status.body());
        return JSON.readTree(status.body());
    }

    private static Map<String, String> headers(JsonNode upload) {
        Map<String, String> headers = new LinkedHashMap<>();
        upload.get("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
        return headers;
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static String article(String fileName, long size) {
        return body("article", fileName, "text/markdown", size);
    }

    private static String body(String kind, String fileName, String contentType, long size) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("fileName", fileName);
        body.put("contentType", contentType);
        body.put("size", size);
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(address(UPLOADS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token.startsWith("Bearer ") ? token : "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(address(path));
        if (token != null) {
            request.header("Authorization", token.startsWith("Bearer ") ? token : "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(JsonNode upload, byte[] body, String contentType) throws Exception {
        return put(upload.get("uploadUrl").asText(), body, contentType);
    }

    /** A plain HTTP PUT, as a browser sends it: the type given, the length the body has. */
    private HttpResponse<String> put(String url, byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI address(String path) {
        return URI.create("http://127.0.0.1:" + runner.port() + path);
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey()));
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x60);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
