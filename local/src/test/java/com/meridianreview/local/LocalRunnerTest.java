package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The template served by the runner over real HTTP, with the sample content loaded through ingest. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRunnerTest {

    static final Path TEMPLATE = Path.of("../infra/template.yaml");
    static final Path SAMPLES = Path.of("sample-content");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private LocalRunner runner;

    @BeforeAll
    void start(TestResources resources) {
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, TEMPLATE, SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        runner.close();
    }

    @Test
    void loadsEverySampleThroughIngest() throws Exception {
        long samples;
        try (var files = Files.list(SAMPLES.resolve("articles"))) {
            samples = files.filter(f -> f.toString().endsWith(".md")).count();
        }
        assertEquals(samples, runner.loaded().articles(), output.toString(StandardCharsets.UTF_8));
        assertEquals(0, runner.loaded().rejected());
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("Loaded " + samples + " sample articles"));
    }

    @Test
    void servesTheHomeAndAnArticleFromTheTable() throws Exception {
        HttpResponse<String> home = get("/", Map.of());
        assertEquals(200, home.statusCode());
        assertTrue(home.body().contains("href=\"/articles/quiet-channels-reopen-between-gulf-rivals\""));

        HttpResponse<String> article = get("/articles/quiet-channels-reopen-between-gulf-rivals", Map.of());
        assertEquals(200, article.statusCode());
        assertEquals("text/html; charset=utf-8", article.headers().firstValue("content-type").orElseThrow());
        assertTrue(article.body().contains("<h1>Quiet Channels Reopen Between Gulf Rivals</h1>"));
        assertTrue(article.body().contains("<link rel=\"canonical\" href=\"http://127.0.0.1:" + runner.port() + "/articles/"),
                "the site's address is the runner's own");

        String etag = article.headers().firstValue("etag").orElseThrow();
        assertEquals(304, get("/articles/quiet-channels-reopen-between-gulf-rivals", Map.of("If-None-Match", etag)).statusCode());
    }

    @Test
    void servesEveryRouteTheTemplateDeclares() throws Exception {
        for (String path : new String[] {"/", "/articles/baltic-grid-after-the-switch", "/sections/diplomacy-watch",
                "/regions/middle-east", "/tags/energy", "/authors/lena-marsh"}) {
            assertEquals(200, get(path, Map.of()).statusCode(), path);
        }
    }

    @Test
    void headReachesThePageFunctionAndReturnsNoBody() throws Exception {
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/articles/baltic-grid-after-the-switch"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(head.headers().firstValue("etag").isPresent());
    }

    @Test
    void servesImagesFromTheBucketAsTheCdnWould() throws Exception {
        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(uri("/images/quiet-channels.jpg")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
        assertEquals("image/jpeg", image.headers().firstValue("content-type").orElseThrow());
        assertEquals("default-src 'none'; sandbox", image.headers().firstValue("content-security-policy").orElseThrow());
        assertEquals("max-age=31536000", image.headers().firstValue("strict-transport-security").orElseThrow(), "from the template's image headers policy");
        java.awt.image.BufferedImage served = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image.body()));
        java.awt.image.BufferedImage sample = javax.imageio.ImageIO.read(SAMPLES.resolve("images/quiet-channels.jpg").toFile());
        assertEquals(List.of(sample.getWidth(), sample.getHeight()), List.of(served.getWidth(), served.getHeight()),
                "the published image is the sample, re-encoded without metadata by the ingest function");
        assertEquals(404, get("/images/none.jpg", Map.of()).statusCode());
    }

    @Test
    void draftsUnknownPagesAndUnknownRoutesAreNotFound() throws Exception {
        HttpResponse<String> draft = get("/articles/a-missile-test-moratorium-is-worth-the-gamble", Map.of());
        assertEquals(404, draft.statusCode());
        assertTrue(draft.body().contains("Page not found"));
        assertEquals(404, get("/articles/no-such-story", Map.of()).statusCode());
        HttpResponse<String> elsewhere = get("/wp-admin/setup.php", Map.of());
        assertEquals(404, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("<h1>Page not found</h1>"), "any other address gets the magazine's page, not API Gateway's JSON");
        assertEquals("HTTP/1.1 400 Bad Request", rawStatusLine("/articles/%zz"), "a malformed escape is a bad request, not a dropped connection");
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Java's URI refuses malformed escapes, so this request goes over a plain socket. */
    private String rawStatusLine(String rawPath) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), runner.port())) {
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runner.port() + path);
    }
}
