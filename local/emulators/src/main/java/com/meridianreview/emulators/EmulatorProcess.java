package com.meridianreview.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An emulator running as a child process: started, judged ready by a line it prints, and stopped
 * on close or, should the JVM end first, by a shutdown hook, so that none outlives its owner.
 */
final class EmulatorProcess implements AutoCloseable {

    /** The running process, or null when it did not become ready; what it printed until then either way. */
    record Start(EmulatorProcess process, List<String> output) {
    }

    private final Process process;
    private final Thread shutdownHook;

    private EmulatorProcess(Process process, String name) {
        this.process = process;
        this.shutdownHook = new Thread(this::stop, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code builder}'s command and waits up to {@code seconds} for a line containing
     * {@code readyLine}; a process that does not print it in time is killed.
     */
    static Start start(ProcessBuilder builder, String readyLine, long seconds, String name) throws IOException {
        Process process = builder.redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> drain(process, readyLine, ready, output), name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (Boolean.TRUE.equals(ready.get(seconds, TimeUnit.SECONDS))) {
                return new Start(new EmulatorProcess(process, name), copy(output));
            }
        } catch (TimeoutException | ExecutionException e) {
            // not ready in time: killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return new Start(null, copy(output));
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to do
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> copy(List<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Keeps what the process says until it is ready (for a failure's message), and reads the rest away so it never blocks on a full pipe. */
    private static void drain(Process process, String readyLine, CompletableFuture<Boolean> ready, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!ready.isDone()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.contains(readyLine)) {
                        ready.complete(true);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; the caller reports it
        }
        ready.complete(false);
    }
}
