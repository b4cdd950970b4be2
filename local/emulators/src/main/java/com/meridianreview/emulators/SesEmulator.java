package com.meridianreview.emulators;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * aws-ses-v2-local, an SES v2 API server (npm, MIT), running under Node.js as a child process on
 * a loopback port. It keeps every message it accepts in memory, headers included, and lists them
 * at {@code GET /store}; nothing is ever delivered, and nothing survives the process.
 *
 * <p>Like Dynoxide, it cannot report a port it chose itself, so a free port is picked here and
 * retried if another process takes it first.
 */
public final class SesEmulator implements AutoCloseable {

    private static final Path INSTALLED = Path.of("local", "emulators", "node_modules", "aws-ses-v2-local", "dist", "cli.js");
    private static final String READY_LINE = "server running at";
    /** Node with express and mailparser loads in well under a second; a busy shared machine gets room. */
    private static final long START_SECONDS = 20;

    private final EmulatorProcess process;
    private final URI endpoint;

    private SesEmulator(EmulatorProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the emulator; its messages live in memory only. */
    public static SesEmulator start() {
        Path script = locateScript();
        EmulatorException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(script, FreePort.pick());
            } catch (DidNotStart e) {
                last = e.failure;
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

    static Path locateScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(INSTALLED);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EmulatorException("the SES emulator (aws-ses-v2-local) is not installed: run `mvn install -DskipTests` from the project root first (it runs `npm ci` in local/emulators)");
    }

    /** The process ran but never said it listens, most likely because the port was taken meanwhile: worth another port. */
    private static final class DidNotStart extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient EmulatorException failure;

        DidNotStart(EmulatorException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private static SesEmulator launch(Path script, int port) throws DidNotStart {
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port));
        // With SMTP_TRANSPORT set the emulator relays every message to that server as well; a
        // variable left in a developer's shell must not send the magazine's mail to real people.
        builder.environment().remove("SMTP_TRANSPORT");
        EmulatorProcess.Start start;
        try {
            start = EmulatorProcess.start(builder, READY_LINE, START_SECONDS, "ses-emulator");
        } catch (IOException e) {
            throw new EmulatorException("the SES emulator needs Node.js 18 or newer as `node` on the PATH: " + e.getMessage());
        }
        if (start.process() != null) {
            return new SesEmulator(start.process(), URI.create("http://127.0.0.1:" + port));
        }
        String said = summary(start.output());
        EmulatorException failure = new EmulatorException("the SES emulator did not start on port " + port + ": "
                + (said.isEmpty() ? "no output within " + START_SECONDS + " s" : said));
        if (Thread.currentThread().isInterrupted()) {
            throw failure;
        }
        throw new DidNotStart(failure);
    }

    /**
     * Node reports a crash as a stack trace of a dozen lines; the lines naming the error (a port
     * in use, a module npm did not install) are what a person needs, else the last few.
     */
    static String summary(List<String> output) {
        List<String> errors = output.stream().map(String::strip).filter(line -> line.matches("(\\w+)?Error\\b.*")).limit(3).toList();
        if (!errors.isEmpty()) {
            return String.join(" | ", errors);
        }
        List<String> said = output.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return String.join(" | ", said.subList(Math.max(0, said.size() - 3), said.size()));
    }
}
