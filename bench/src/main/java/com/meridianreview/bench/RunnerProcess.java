package com.meridianreview.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A build of the local runner started as a person starts it ({@code java -jar ... --port 0}),
 * timed from launch to its Ready line, and weighed (resident memory of it and its children).
 */
final class RunnerProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Ready: http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final int port;
    private final double readyMs;

    private RunnerProcess(Process process, int port, double readyMs) {
        this.process = process;
        this.port = port;
        this.readyMs = readyMs;
    }

    /** Starts {@code jar} in {@code projectRoot} with a fresh data directory, so the sample content loads as on a first run. */
    static RunnerProcess start(Path jar, Path projectRoot, Path dataDir) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--port", "0", "--data", dataDir.toString());
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(projectRoot.toFile()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.matches()) {
                double readyMs = (System.nanoTime() - begin) / 1e6;
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the runner has stopped
                    }
                }, "runner-output");
                drain.setDaemon(true);
                drain.start();
                return new RunnerProcess(process, Integer.parseInt(ready.group(1)), readyMs);
            }
            lines.add(line);
        }
        throw new IllegalStateException("the runner " + jar + " ended before it was ready: " + lines);
    }

    int port() {
        return port;
    }

    double readyMs() {
        return readyMs;
    }

    /** Resident memory in MiB of the runner and of each process it started, by command name. */
    Map<String, Double> residentMib() {
        Map<String, Double> memory = new LinkedHashMap<>();
        memory.put("runner", rssMib(process.toHandle()));
        int functions = 0;
        for (ProcessHandle child : process.descendants().toList()) {
            String command = child.info().command().orElse("?");
            String name = command.endsWith("dynoxide") ? "dynoxide" : "function JVM " + (++functions);
            memory.put(name, rssMib(child));
        }
        return memory;
    }

    private static double rssMib(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
