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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a person starts it: its own process, its own emulators, one Ready line, a clean stop. */
class LocalRunnerProcessTest {

    @Test
    void printsReadyServesAndLeavesNoEmulatorBehindWhenStopped(@TempDir Path data) throws Exception {
        int port = freePort();
        Process runner = runner("--port", Integer.toString(port), "--data", data.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Ready:")) {
                lines.add(line);
            }
            assertEquals("Ready: http://127.0.0.1:" + port + "/", line, "output before it: " + lines);

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/articles/baltic-grid-after-the-switch")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            List<ProcessHandle> children = runner.descendants().toList();
            assertTrue(children.stream().anyMatch(p -> p.info().command().orElse("").endsWith("dynoxide")), "Dynoxide runs as a child");
            runner.destroy();
            assertTrue(runner.waitFor(30, TimeUnit.SECONDS), "the runner stops on SIGTERM/Ctrl-C");
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "no emulator process is left");
            }
        } finally {
            runner.destroyForcibly();
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

    private static Process runner(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalRunner.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(Path.of("..").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
