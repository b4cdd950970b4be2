package com.meridianreview.bench;

import com.meridianreview.page.PageHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM with the function's environment: builds the handler as Lambda does, primes it
 * (as SnapStart's checkpoint hook would) or not, then times the first two invocations. A SnapStart
 * restore resumes from the state after priming, so "primed" shows what the first request after a
 * restore costs, leaving out the restore itself, which only AWS can measure.
 */
public final class PrimingProbe {

    private PrimingProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean prime = args[0].equals("prime");
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        // Function logs go to stdout as on Lambda; the timings line is told apart by its prefix.
        long start = System.nanoTime();
        PageHandler handler = new PageHandler();
        long built = System.nanoTime();
        if (prime) {
            handler.beforeCheckpoint(null);
        }
        long primed = System.nanoTime();
        long first = invoke(handler, event);
        long second = invoke(handler, event);
        System.out.printf(java.util.Locale.ROOT, "PROBE {\"constructMs\":%.1f,\"primeMs\":%.1f,\"firstMs\":%.2f,\"secondMs\":%.2f}%n",
                (built - start) / 1e6, (primed - built) / 1e6, first / 1e6, second / 1e6);
    }

    private static long invoke(PageHandler handler, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        long elapsed = System.nanoTime() - start;
        if (!out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"statusCode\":200")) {
            throw new IllegalStateException("not a 200: " + out);
        }
        return elapsed;
    }
}
