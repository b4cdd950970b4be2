package com.meridianreview.emulators;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Dynoxide DynamoDB emulator running as a child process on a loopback port.
 *
 * <p>Dynoxide cannot report a port it chose itself, so a free port is picked here and retried if
 * another process takes it first.
 */
public final class Dynoxide implements AutoCloseable {

    private static final String BINARY_PROPERTY = "dynoxide.path";
    private static final String BINARY_ENV = "DYNOXIDE_PATH";
    private static final Path INSTALLED = Path.of("local", "emulators", "node_modules", "@dynoxide", "linux-x64", "dynoxide");

    private final EmulatorProcess process;
    private final URI endpoint;

    private Dynoxide(EmulatorProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts Dynoxide in memory, or on the SQLite file {@code dbFile} when it is not null. */
    public static Dynoxide start(Path dbFile) {
        Path binary = locateBinary();
        EmulatorException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.pick();
            try {
                return launch(binary, port, dbFile);
            } catch (EmulatorException e) {
                last = e;
            }
        }
        throw last;
    }

    public URI endpoint() {
        return endpoint;
    }

    ProcessHandle process() {
        return process.handle();
    }

    @Override
    public void close() {
        process.close();
    }

    static Path locateBinary() {
        String configured = System.getProperty(BINARY_PROPERTY, System.getenv(BINARY_ENV));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new EmulatorException("Dynoxide binary " + path + " (from " + BINARY_PROPERTY + "/" + BINARY_ENV + ") is not executable");
            }
            return path;
        }
        if (!isLinuxX64()) {
            throw new EmulatorException("Dynoxide has no binary for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " in this build (linux x64 only); set " + BINARY_ENV + " to a Dynoxide built for it");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(INSTALLED);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new EmulatorException("Dynoxide binary not found: run `mvn install -DskipTests` from the project root first (it runs `npm ci` in local/emulators)");
    }

    private static boolean isLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    private static Dynoxide launch(Path binary, int port, Path dbFile) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (dbFile != null) {
            command.add("--db-path");
            command.add(dbFile.toString());
        }
        EmulatorProcess.Start start;
        try {
            start = EmulatorProcess.start(new ProcessBuilder(command), "listening", 15, "dynoxide");
        } catch (IOException e) {
            throw new EmulatorException("cannot start Dynoxide at " + binary + ": " + e.getMessage());
        }
        if (start.process() == null) {
            throw new EmulatorException("Dynoxide did not start on port " + port + ": " + String.join(" | ", start.output()));
        }
        return new Dynoxide(start.process(), URI.create("http://127.0.0.1:" + port));
    }
}
