package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a person starts it: its own process, its own emulators, one Ready line, and nothing left running after it. */
class LocalRunnerProcessTest {

    private static final Pattern READY = Pattern.compile("Ready: http://127\\.0\\.0\\.1:(\\d+)/");

    @Test
    void sigtermStopsTheEmulatorsAndEveryFunctionJvm(@TempDir Path data) throws Exception {
        stopsEverythingOn("TERM", data);
    }

    @Test
    void ctrlCStopsTheEmulatorsAndEveryFunctionJvm(@TempDir Path data) throws Exception {
        stopsEverythingOn("INT", data);
    }

    @Test
    void whatAKilledRunnerLeftBehindIsStoppedByTheNextOne(@TempDir Path data) throws Exception {
        Started first = startAndServe(data);
        List<ProcessHandle> children = first.process().descendants().toList();
        assertTrue(children.size() >= 2, "Dynoxide and the page function run as children: " + describe(children));
        first.process().destroyForcibly();
        first.process().waitFor(30, TimeUnit.SECONDS);
        assertTrue(children.stream().anyMatch(ProcessHandle::isAlive), "SIGKILL gives the runner no chance to stop its children");

        Process second = runner("--port", "0", "--data", data.toString(), "--no-sample");
        try {
            List<String> lines = new ArrayList<>();
            String ready = readUntilReady(second, lines);
            assertTrue(ready != null, "output: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.matches("Stopped \\d+ processes an earlier runner left running")), lines.toString());
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "left behind: " + describe(List.of(child)));
            }
        } finally {
            stop(second);
        }
    }

    @Test
    void whenTheTableStopsUnderTheSiteReadersGetARecentCopyOrA503WithRetryAfter(@TempDir Path data) throws Exception {
        Started started = startAndServe(data);
        try {
            ProcessHandle dynoxide = started.process().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("dynoxide")).findFirst().orElseThrow();
            dynoxide.destroyForcibly();
            dynoxide.onExit().get(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> served = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + started.port() + "/articles/baltic-grid-after-the-switch")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode(), "the page the warm function served a moment ago");
            assertTrue(served.body().contains("Baltic"), served.body());
            assertEquals("public, max-age=0, s-maxage=30", served.headers().firstValue("cache-control").orElseThrow());

            HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + started.port() + "/articles/quiet-channels-reopen-between-gulf-rivals")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, other.statusCode());
            assertEquals("10", other.headers().firstValue("retry-after").orElseThrow());
            assertTrue(other.body().contains("<h1>Back in a moment</h1>"), other.body());
        } finally {
            stop(started.process());
        }
    }

    @Test
    void aPortInUseIsOneLineNotAStackTrace(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process runner = runner("--port", Integer.toString(taken.getLocalPort()), "--data", data.toString(), "--no-sample");
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
            String errors = new String(runner.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(1, runner.exitValue());
            assertEquals("error: port " + taken.getLocalPort() + " on 127.0.0.1 is in use; choose another with --port", errors);
            // The emulators had started before the port was found taken; nothing of them may be left.
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(data.toString())),
                    "a failed start leaves nothing running");
        }
    }

    @Test
    void aSecondRunnerOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsServing(@TempDir Path data) throws Exception {
        Started first = startAndServe(data);
        try {
            Process second = runner("--port", "0", "--data", data.toString(), "--no-sample");
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue());
            String errors = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(errors.matches("error: another runner \\(pid " + first.process().pid() + "\\) is using .*; stop it first, or give this one another --data directory"), errors);
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + first.port() + "/articles/baltic-grid-after-the-switch")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the first runner and its emulators are untouched");
        } finally {
            stop(first.process());
        }
    }

    @Test
    void aMistypedOptionShowsUsage() throws Exception {
        Process runner = runner("--prot", "3000");
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, runner.exitValue());
        String errors = new String(runner.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("error: unknown option --prot\nusage:"), errors);
    }

    private void stopsEverythingOn(String signal, Path data) throws Exception {
        Started started = startAndServe(data);
        List<ProcessHandle> children = started.process().descendants().toList();
        assertTrue(children.stream().anyMatch(p -> p.info().command().orElse("").endsWith("dynoxide")), "Dynoxide runs as a child: " + describe(children));
        assertTrue(children.stream().anyMatch(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("aws-ses-v2-local")),
                "the SES emulator runs as a child: " + describe(children));
        assertTrue(children.stream().anyMatch(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(LambdaLaunch.RUNTIME_CLIENT_MAIN)),
                "the page function runs in a JVM of its own: " + describe(children));
        new ProcessBuilder("kill", "-" + signal, Long.toString(started.process().pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertTrue(started.process().waitFor(30, TimeUnit.SECONDS), "the runner stops on SIG" + signal);
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "left behind: " + describe(List.of(child)));
        }
    }

    private record Started(Process process, int port) {
    }

    /** Starts a runner on a port of its own choosing, reads the port from its Ready line, and serves one article. */
    private Started startAndServe(Path data) throws Exception {
        Process runner = runner("--port", "0", "--data", data.toString());
        List<String> lines = new ArrayList<>();
        String ready = readUntilReady(runner, lines);
        assertTrue(ready != null, "output before the end: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.matches("Emulators: DynamoDB http://127\\.0\\.0\\.1:\\d+, S3 http://127\\.0\\.0\\.1:\\d+, "
                + "SES http://127\\.0\\.0\\.1:\\d+ \\(access key \\S+, secret \\S+\\)")), lines.toString());
        int port = Integer.parseInt(ready);
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/articles/baltic-grid-after-the-switch")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        return new Started(runner, port);
    }

    /** Reads lines until the Ready line and returns its port; the rest of the output is drained so the runner never blocks on it. */
    private static String readUntilReady(Process runner, List<String> lines) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.matches()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the runner has ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return ready.group(1);
            }
            lines.add(line);
        }
        return null;
    }

    private static void stop(Process runner) throws InterruptedException {
        runner.destroy();
        if (!runner.waitFor(30, TimeUnit.SECONDS)) {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList().toString();
    }

    private static Process runner(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalRunner.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(Path.of("..").toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
    }
}
