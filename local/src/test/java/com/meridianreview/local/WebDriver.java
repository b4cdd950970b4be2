package com.meridianreview.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A headless Chromium driven through chromedriver's W3C WebDriver endpoints over plain HTTP: just
 * the few commands the browser tests use, with no client library and no downloaded browser.
 */
final class WebDriver implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;
    private final Path profile;

    private WebDriver(Process driver, String base, String session, Path profile) {
        this.driver = driver;
        this.base = base;
        this.session = session;
        this.profile = profile;
    }

    /** Why browser tests cannot run here, or null when they can. */
    static String unavailableReason() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)";
        }
        return null;
    }

    static WebDriver start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).start();
        // chromedriver says when it listens; the rest of its output is read and dropped.
        java.util.concurrent.CompletableFuture<Boolean> started = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(driver.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("started successfully")) {
                        started.complete(true);
                    }
                }
            } catch (IOException e) {
                // the driver stopped
            }
            started.complete(false);
        }, "chromedriver-output");
        reader.setDaemon(true);
        reader.start();
        Path profile = Files.createTempDirectory("chromium-profile");
        try {
            if (!started.get(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("chromedriver did not start");
            }
            return open(driver, "http://127.0.0.1:" + port, profile);
        } catch (Exception e) {
            // Whatever went wrong, no driver or browser outlives the attempt.
            new WebDriver(driver, null, null, profile).close();
            throw e;
        }
    }

    private static WebDriver open(Process driver, String base, Path profile) throws Exception {
        ObjectNode options = JSON.createObjectNode();
        options.put("binary", CHROMIUM.toString());
        options.set("args", JSON.valueToTree(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile)));
        ObjectNode capabilities = JSON.createObjectNode();
        ObjectNode always = capabilities.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("goog:loggingPrefs").put("browser", "ALL");
        WebDriver partial = new WebDriver(driver, base, null, profile);
        JsonNode created = partial.call("POST", "/session", capabilities);
        return new WebDriver(driver, base, created.get("sessionId").asText(), profile);
    }

    void open(String url) throws Exception {
        call("POST", "/session/" + session + "/url", JSON.createObjectNode().put("url", url));
    }

    String currentUrl() throws Exception {
        return call("GET", "/session/" + session + "/url", null).asText();
    }

    void resize(int width, int height) throws Exception {
        call("POST", "/session/" + session + "/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    }

    JsonNode script(String body) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        request.putArray("args");
        return call("POST", "/session/" + session + "/execute/sync", request);
    }

    /** Runs a script that reports its result by calling the callback WebDriver passes as its last argument. */
    JsonNode asyncScript(String body) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        request.putArray("args");
        return call("POST", "/session/" + session + "/execute/async", request);
    }

    void click(String cssSelector) throws Exception {
        JsonNode element = call("POST", "/session/" + session + "/element",
                JSON.createObjectNode().put("using", "css selector").put("value", cssSelector));
        String id = element.properties().iterator().next().getValue().asText();
        call("POST", "/session/" + session + "/element/" + id + "/click", JSON.createObjectNode());
    }

    /** Console messages of level SEVERE (script errors, refused resources, policy violations). */
    List<String> severeConsoleMessages() throws Exception {
        JsonNode entries = call("POST", "/session/" + session + "/se/log", JSON.createObjectNode().put("type", "browser"));
        List<String> severe = new java.util.ArrayList<>();
        entries.forEach(entry -> {
            if ("SEVERE".equals(entry.path("level").asText())) {
                severe.add(entry.path("message").asText());
            }
        });
        return severe;
    }

    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null).asText());
    }

    private JsonNode call(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + " failed: " + json.path("value").path("message").asText(response.body()));
        }
        return json.get("value");
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception e) {
            // the browser goes with the driver below
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile folder
            }
        }
    }
}
