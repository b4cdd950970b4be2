package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.Emulators;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;

/**
 * Mail sent with the AWS SDK's SES v2 client reaches the SES emulator, and the runner's
 * {@value Outbox#PATH} shows it, newest first: a page with its headers and clickable links, or
 * JSON; a 503 when the emulator is gone.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** The emulators are shared with other test classes: this class's messages are told apart by it. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LocalRunner runner;
    private TestResources resources;

    @BeforeAll
    void start(TestResources resources) {
        this.resources = resources;
        runner = LocalRunner.start(new LocalRunner.Options(0, null, false, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void sentMailIsListedNewestFirstWithItsHeadersAndClickableLinks() throws Exception {
        String reader = "reader-" + run + "@example.org";
        String older;
        String newer;
        try (SesV2Client ses = ses(resources.emulators())) {
            older = ses.sendEmail(r -> r.fromEmailAddress("newsletter@example.org")
                    .destination(d -> d.toAddresses(reader))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Welcome " + run))
                            .body(b -> b.text(t -> t.data("Hello.")))))).messageId();
            newer = ses.sendEmail(r -> r.fromEmailAddress("newsletter@example.org")
                    .destination(d -> d.toAddresses(reader, "second-" + run + "@example.org"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Confirm <b>your</b> \"subscription\" & " + run))
                            .body(b -> b.text(t -> t.data("Confirm here: https://example.org/newsletter/confirm?token=a1&run=" + run + ".\n"
                                            + "Not a link: javascript:alert(1) <script>alert(1)</script> ftp://example.org/x"))
                                    .html(h -> h.data("<p onclick=\"x()\">Confirm <a href=\"https://example.org/c\">here</a></p>")))
                            .headers(MessageHeader.builder().name("List-Unsubscribe").value("<https://example.org/u?t=1>").build(),
                                    MessageHeader.builder().name("List-Unsubscribe-Post").value("List-Unsubscribe=One-Click").build())))).messageId();
        }

        HttpResponse<String> page = get(BROWSER_ACCEPT);
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-store", page.headers().firstValue("cache-control").orElseThrow());
        String html = page.body();
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html);
        assertTrue(html.contains("<link rel=\"icon\" href=\"data:,\">"), "a browser showing the page asks for no /favicon.ico");
        int newerAt = html.indexOf("<h2>Confirm &lt;b&gt;your&lt;/b&gt; &quot;subscription&quot; &amp; " + run + "</h2>");
        int olderAt = html.indexOf("<h2>Welcome " + run + "</h2>");
        assertTrue(newerAt >= 0 && olderAt > newerAt, "both shown, newest first: " + html);
        String message = html.substring(newerAt, html.indexOf("</article>", newerAt));
        assertTrue(message.contains("<dt>To</dt><dd>" + reader + ", second-" + run + "@example.org</dd>"), message);
        assertTrue(message.matches("(?s).*<dt>Sent</dt><dd><time datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\">.*"), message);
        assertTrue(message.contains("<dt>List-Unsubscribe</dt><dd>&lt;<a href=\"https://example.org/u?t=1\">https://example.org/u?t=1</a>&gt;</dd>"), message);
        assertTrue(message.contains("<dt>List-Unsubscribe-Post</dt><dd>List-Unsubscribe=One-Click</dd>"), message);
        assertTrue(message.contains("<pre>Confirm here: <a href=\"https://example.org/newsletter/confirm?token=a1&amp;run=" + run + "\">"
                + "https://example.org/newsletter/confirm?token=a1&amp;run=" + run + "</a>.\n"), "a clickable link, without the sentence's full stop: " + message);
        assertTrue(message.contains("Not a link: javascript:alert(1) &lt;script&gt;alert(1)&lt;/script&gt; ftp://example.org/x</pre>"),
                "only http(s) addresses become links, and markup in the text is text: " + message);
        assertTrue(message.contains("<pre>&lt;p onclick=&quot;x()&quot;&gt;Confirm &lt;a href=&quot;https://example.org/c&quot;&gt;here&lt;/a&gt;&lt;/p&gt;</pre>"),
                "the HTML part as source, never rendered: " + message);
        assertTrue(message.contains("<dt>Message ID</dt><dd>" + newer + "</dd>"), message);
        assertFalse(html.contains("<script>") || html.contains("<b>") || html.contains("onclick=\""), "nothing from a message is markup");

        HttpResponse<String> json = get("application/json");
        assertEquals(200, json.statusCode(), json.body());
        assertEquals("application/json", json.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-store", json.headers().firstValue("cache-control").orElseThrow());
        List<JsonNode> mine = new ArrayList<>();
        JSON.readTree(json.body()).forEach(m -> {
            if (m.path("subject").asText().endsWith(run)) {
                mine.add(m);
            }
        });
        assertEquals(List.of(newer, older), mine.stream().map(m -> m.path("messageId").asText()).toList(), "newest first");
        JsonNode sent = mine.get(0);
        assertEquals("newsletter@example.org", sent.path("from").asText());
        assertEquals(List.of(reader, "second-" + run + "@example.org"), texts(sent.path("to")));
        assertEquals("Confirm <b>your</b> \"subscription\" & " + run, sent.path("subject").asText());
        assertTrue(sent.path("text").asText().startsWith("Confirm here: https://example.org/newsletter/confirm?token=a1&run=" + run), sent.toString());
        assertTrue(sent.path("html").asText().startsWith("<p onclick="), sent.toString());
        assertEquals(JSON.readTree("[{\"name\":\"List-Unsubscribe\",\"value\":\"<https://example.org/u?t=1>\"},"
                + "{\"name\":\"List-Unsubscribe-Post\",\"value\":\"List-Unsubscribe=One-Click\"}]"), sent.path("headers"));
        Instant at = Instant.parse(sent.path("at").asText());
        assertTrue(Duration.between(at, Instant.now()).abs().toMinutes() < 5, sent.toString());
        assertTrue(mine.get(1).path("headers").isArray() && mine.get(1).path("headers").isEmpty());
        assertTrue(mine.get(1).path("html").isNull(), "a message without an HTML part says so");
    }

    @Test
    void closingTheEmulatorsStopsTheSesEmulatorAndTheOutboxThenAnswers503() throws Exception {
        Emulators own = Emulators.inMemory();
        List<ProcessHandle> processes = own.processes();
        assertTrue(processes.stream().anyMatch(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("aws-ses-v2-local")),
                "the SES emulator is one of the processes a runner records: " + processes.stream().map(p -> p.info().commandLine().orElse("?")).toList());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalRunner mine = LocalRunner.start(new LocalRunner.Options(0, null, false, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, "outboxclose-"),
                own, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            try (SesV2Client ses = ses(own)) {
                ses.sendEmail(r -> r.fromEmailAddress("newsletter@example.org").destination(d -> d.toAddresses("last-" + run + "@example.org"))
                        .content(c -> c.simple(m -> m.subject(s -> s.data("Last " + run)).body(b -> b.text(t -> t.data("Bye."))))));
            }
            assertTrue(get(mine, BROWSER_ACCEPT).body().contains("<h2>Last " + run + "</h2>"));

            own.close();
            for (ProcessHandle process : processes) {
                process.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(process.isAlive(), "left running: " + process.info().commandLine().orElse(Long.toString(process.pid())));
            }

            HttpResponse<String> page = get(mine, BROWSER_ACCEPT);
            assertEquals(503, page.statusCode(), page.body());
            assertEquals("5", page.headers().firstValue("retry-after").orElseThrow());
            assertEquals("no-store", page.headers().firstValue("cache-control").orElseThrow());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
            assertTrue(page.body().contains("<h1>Try again shortly</h1>"), page.body());
            HttpResponse<String> json = get(mine, "application/json");
            assertEquals(503, json.statusCode());
            assertEquals("{\"message\":\"Service Unavailable\"}", json.body());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("outbox GET /_local/outbox 503: the SES emulator at "), log.toString(StandardCharsets.UTF_8));
        } finally {
            own.close();
        }
    }

    @Test
    void anEmulatorThatDropsTheConnectionIsA503NotA500() throws Exception {
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try {
                        dropping.accept().close();
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            }, "dropping-ses");
            dropper.setDaemon(true);
            dropper.start();
            Outbox.Page page = new Outbox(URI.create("http://127.0.0.1:" + dropping.getLocalPort()), JSON).render(null);
            assertEquals(503, page.status());
            assertEquals("5", page.headers().get("Retry-After"));
            assertEquals("no-store", page.headers().get("Cache-Control"));
            assertTrue(page.problem().startsWith("the SES emulator at http://127.0.0.1:" + dropping.getLocalPort() + "/store does not answer"), page.problem());
        }
    }

    @Test
    void jsonOnlyWhenTheClientRanksItAboveHtml() {
        assertFalse(Outbox.prefersJson(null), "no Accept: the page");
        assertFalse(Outbox.prefersJson("*/*"), "curl: the page");
        assertFalse(Outbox.prefersJson(BROWSER_ACCEPT));
        assertFalse(Outbox.prefersJson("application/json;q=0.5, text/html"));
        assertFalse(Outbox.prefersJson("application/json, text/html"), "a tie goes to the page");
        assertTrue(Outbox.prefersJson("application/json"));
        assertTrue(Outbox.prefersJson("application/json, text/plain, */*"));
        assertTrue(Outbox.prefersJson("text/html;q=0.1, application/*"));
        assertTrue(Outbox.prefersJson("Application/JSON; charset=utf-8"));
    }

    @Test
    void onlyHttpAddressesBecomeLinksAndEverythingIsEscaped() {
        assertEquals("see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>.",
                Outbox.linked("see https://example.org/a?b=1&c=2."));
        assertEquals("(<a href=\"http://example.org/x\">http://example.org/x</a>), "
                        + "<a href=\"https://en.wikipedia.org/wiki/A_(b)\">https://en.wikipedia.org/wiki/A_(b)</a>",
                Outbox.linked("(http://example.org/x), https://en.wikipedia.org/wiki/A_(b)"));
        assertEquals("&quot;<a href=\"https://example.org/q\">https://example.org/q</a>&quot;&#39;",
                Outbox.linked("\"https://example.org/q\"'"));
        assertEquals("javascript:alert(1) mailto:a@example.org data:text/html,&lt;b&gt; https:// http://",
                Outbox.linked("javascript:alert(1) mailto:a@example.org data:text/html,<b> https:// http://"));
        assertEquals("<a href=\"HTTPS://EXAMPLE.ORG/A\">HTTPS://EXAMPLE.ORG/A</a>", Outbox.linked("HTTPS://EXAMPLE.ORG/A"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static SesV2Client ses(Emulators emulators) {
        return SesV2Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey())))
                .endpointOverride(emulators.sesEndpoint()).build();
    }

    private HttpResponse<String> get(String accept) throws Exception {
        return get(runner, accept);
    }

    private HttpResponse<String> get(LocalRunner target, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + Outbox.PATH)).header("Accept", accept)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
