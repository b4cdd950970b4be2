package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The runner under requests a browser would not send: odd image names, bodies that never arrive,
 * malformed framing. Each gets a prompt 4xx (or a closed connection where the JDK server cannot
 * answer), never a 500 or a stall, and the runner keeps serving everyone else. The requests go
 * over plain sockets, since java.net.URI and HttpClient refuse to send most of them; every read
 * has a generous socket timeout, so a stalled runner fails the test rather than hanging it.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsTest {

    /** Far above what any answer here takes (a cold start, or the 5 s request time); a stall fails. */
    private static final int PATIENCE_MILLIS = 10_000;
    private static final String ARTICLE = "/articles/baltic-grid-after-the-switch";

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private LocalRunner runner;

    @BeforeAll
    void start(TestResources resources) {
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        runner.close();
    }

    @Test
    void imageNamesTheBucketCannotServeGetTheMagazinesNotFoundPage() throws Exception {
        for (String path : new String[] {"/images/%2F", "/images/%00", "/images/" + "a".repeat(256) + ".jpg",
                "/images/" + "b".repeat(1100), "/images/..%2Fimages%2Fquiet-channels.jpg", "/images/.%2Fquiet-channels.jpg",
                "/images/a%0D%0AX-Injected:%201", "/images/"}) {
            Response response = send(runner.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String label = path.length() > 40 ? path.substring(0, 40) + "..." : path;
            assertEquals(404, response.status(), label);
            assertEquals("text/html; charset=utf-8", response.header("content-type"), label);
            assertFalse(response.body().trim().startsWith("{"), label + ": not API Gateway's JSON");
            assertTrue(response.body().contains("<h1>Page not found</h1>"), label + ": the magazine's own page");
            assertEquals("nosniff", response.header("x-content-type-options"), label);
            assertEquals("default-src 'none'; sandbox", response.header("content-security-policy"), label);
            assertNull(response.header("x-injected"), label);
        }
        Response head = send(runner.port(), "HEAD /images/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertEquals(404, head.status());
        assertEquals("", head.body());
        assertEquals(200, get(ARTICLE).status(), "the runner serves on");
    }

    @Test
    void anS3EmulatorThatDoesNotAnswerIsA503WithRetryAfter() throws Exception {
        // A port that accepts and drops every connection: S3 is there but never answers.
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try {
                        dropping.accept().close();
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            }, "dropping-s3");
            dropper.setDaemon(true);
            dropper.start();
            S3Client s3 = S3Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                    .endpointOverride(URI.create("http://127.0.0.1:" + dropping.getLocalPort())).forcePathStyle(true).build();
            BucketFiles files = new BucketFiles(s3, List.of(new BucketFiles.Mount(new SamApplication.BucketPath("/images/*", "ImageBucket",
                    Map.of("X-Content-Type-Options", "nosniff", "Content-Security-Policy", "default-src 'none'; sandbox")), "images")));
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (s3; HttpApiGateway gateway = HttpApiGateway.start(0, new RouteTable(), files, new ObjectMapper(),
                    new RunnerOutput(new PrintStream(log, true, StandardCharsets.UTF_8)), IdentityProvider.in(null, java.time.Clock.systemUTC()), null)) {
                Response response = send(gateway.port(), "GET /images/quiet-channels.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertEquals(503, response.status());
                assertEquals("5", response.header("retry-after"));
                assertEquals("text/html; charset=utf-8", response.header("content-type"));
                assertEquals("no-store", response.header("cache-control"));
                assertTrue(response.body().contains("Try again shortly"));
                assertTrue(log.toString(StandardCharsets.UTF_8).contains("bucket GET /images/quiet-channels.jpg 503: "), log.toString(StandardCharsets.UTF_8));

                // Keys no object can have are not found without asking S3, and without a $default route the runner's own page says so.
                Response invalid = send(gateway.port(), "GET /images/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertEquals(404, invalid.status());
                assertEquals("text/html; charset=utf-8", invalid.header("content-type"));
                assertTrue(invalid.body().contains("<h1>Not found</h1>"));
            }
        }
    }

    @Test
    void bodiesThatNeverArriveDoNotHoldUpOtherReaders() throws Exception {
        assertEquals(200, get(ARTICLE).status(), "the page function is started before the bodies stall");
        List<Socket> stalled = new ArrayList<>();
        try {
            // More than the 16 workers the runner once had. Each asks to continue, so that its
            // "100 Continue" shows that a worker has taken it up and is waiting for its body.
            for (int i = 0; i < 24; i++) {
                Socket socket = connect(runner.port());
                stalled.add(socket);
                socket.getOutputStream().write(("POST " + ARTICLE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals("HTTP/1.1 100 Continue", awaitLine(socket, "stalled request " + i + " to reach a worker"));
                while (!readLine(socket.getInputStream()).isEmpty()) {
                    // the interim response's headers
                }
                socket.getOutputStream().write("x".repeat(40).getBytes(StandardCharsets.US_ASCII));
            }
            Response article = get(ARTICLE);
            assertEquals(200, article.status(), "an article while " + stalled.size() + " bodies stall");
            assertTrue(article.body().contains("<h1>"));

            // The first stalled request was still waiting while the article was served (had the
            // runner closed it to make room, this would find the connection closed): its body's
            // end gets an answer.
            Socket first = stalled.remove(0);
            first.getOutputStream().write("x".repeat(60).getBytes(StandardCharsets.US_ASCII));
            String answer = awaitLine(first, "an answer to the first stalled request, completed");
            assertTrue(answer != null && answer.startsWith("HTTP/1.1 "), "the first stalled request, completed: " + answer);
            first.close();

            // The runner gives up on the others (it cannot answer once it has closed the connection
            // under the read); the socket timeout bounds the wait.
            for (Socket socket : stalled) {
                assertClosedOrBadRequest(socket);
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertEquals(200, get(ARTICLE).status(), "the runner serves on");
    }

    @Test
    void aRequestWithBareLineFeedsIsClosedPromptly() throws Exception {
        try (Socket socket = connect(runner.port())) {
            socket.getOutputStream().write(("GET " + ARTICLE + " HTTP/1.1\nHost: 127.0.0.1\n\n").getBytes(StandardCharsets.US_ASCII));
            assertClosedOrBadRequest(socket);
        }
        assertEquals(200, get(ARTICLE).status(), "the runner serves on");
    }

    @Test
    void aChunkedBodyWithABadChunkSizeIsABadRequest() throws Exception {
        Response response = send(runner.port(), "POST " + ARTICLE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        assertEquals(400, response.status());
        assertEquals("application/json", response.header("content-type"));
        assertEquals("close", response.header("connection"));
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("POST " + ARTICLE + " 400: the request body could not be read"));
        assertEquals(200, get(ARTICLE).status(), "the runner serves on");
    }

    @Test
    void aChunkedBodyWithBareLineFeedsIsClosedPromptly() throws Exception {
        try (Socket socket = connect(runner.port())) {
            socket.getOutputStream().write(("POST " + ARTICLE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n").getBytes(StandardCharsets.US_ASCII));
            assertClosedOrBadRequest(socket);
        }
        assertEquals(200, get(ARTICLE).status(), "the runner serves on");
    }

    /** The next thing on the socket is a 400 or the end of the connection, within the patience. */
    private static void assertClosedOrBadRequest(Socket socket) throws IOException {
        String line;
        try {
            line = readLine(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            fail("no answer and no close within " + PATIENCE_MILLIS + " ms");
            return;
        } catch (SocketException e) {
            return; // reset: closed
        }
        if (line != null) {
            assertEquals("HTTP/1.1 400 Bad Request", line);
        }
    }

    private static String awaitLine(Socket socket, String what) {
        try {
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            return fail("waited in vain for " + what + ": " + e);
        }
    }

    private Response get(String path) throws IOException {
        return send(runner.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(PATIENCE_MILLIS);
        return socket;
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends a request that closes its connection and reads the whole answer. */
    private static Response send(int port, String request) throws IOException {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            if (statusLine == null) {
                fail("the connection closed without an answer to " + request.lines().findFirst().orElse(""));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }
    }

    /** A CRLF-terminated line, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
