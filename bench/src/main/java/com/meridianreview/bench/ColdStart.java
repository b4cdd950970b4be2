package com.meridianreview.bench;

import com.meridianreview.local.LocalRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Cold starts as Lambda's Java runtime performs them: a fresh JVM running the Runtime Interface
 * Client with only the function's deployment jar, its template environment and JVM options, asking
 * a local Runtime API for one event. Init is JVM start to the first "next" (handler class loaded and
 * constructed); the first invocation is that "next" to the posted response.
 */
final class ColdStart {

    record Result(String variant, Stats initMs, Stats firstInvocationMs, Stats totalMs) {
    }

    /** JVM flags Lambda's java21 runtime sets itself, whatever the function's JAVA_TOOL_OPTIONS add. */
    static final List<String> RUNTIME_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:MaxHeapSize=890m");

    private final Path ricDirectory;

    ColdStart(Path ricDirectory) {
        this.ricDirectory = ricDirectory;
    }

    Result measure(String variant, LocalRunner.HostedFunction function, Map<String, String> environmentChanges, byte[] event, int runs) throws Exception {
        return measure(variant, function, environmentChanges, event, "\"statusCode\":200", runs);
    }

    /**
     * One function to cold-start: how, with which event (asked for anew each run, for functions
     * that must never see the same request twice), and what its answer must contain.
     */
    record Variant(String name, LocalRunner.HostedFunction function, Map<String, String> environmentChanges, Supplier<byte[]> events, String expected) {

        Variant(String name, LocalRunner.HostedFunction function, Map<String, String> environmentChanges, byte[] event, String expected) {
            this(name, function, environmentChanges, () -> event, expected);
        }
    }

    /**
     * Cold-starts the variants in turn, one run of each per round, so that a noisy machine slows
     * them alike: the fair way to compare two functions (ours and a peer's) in one run.
     */
    List<Result> interleaved(List<Variant> variants, int runs) throws Exception {
        double[][][] times = new double[variants.size()][3][runs];
        for (int run = 0; run < runs; run++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                long[] t = once(variant.function(), variant.environmentChanges(), variant.events().get(), variant.expected());
                times[v][0][run] = (t[1] - t[0]) / 1e6;
                times[v][1][run] = (t[2] - t[1]) / 1e6;
                times[v][2][run] = (t[2] - t[0]) / 1e6;
            }
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            results.add(new Result(variants.get(v).name(), Stats.of(times[v][0]), Stats.of(times[v][1]), Stats.of(times[v][2])));
        }
        return results;
    }

    /** {@code expected}: a part of the response that shows the invocation did its work. */
    Result measure(String variant, LocalRunner.HostedFunction function, Map<String, String> environmentChanges, byte[] event, String expected, int runs) throws Exception {
        return measure(variant, function, environmentChanges, () -> event, expected, runs);
    }

    Result measure(String variant, LocalRunner.HostedFunction function, Map<String, String> environmentChanges, Supplier<byte[]> events, String expected,
                   int runs) throws Exception {
        double[] init = new double[runs];
        double[] first = new double[runs];
        double[] total = new double[runs];
        for (int run = 0; run < runs; run++) {
            long[] times = once(function, environmentChanges, events.get(), expected);
            init[run] = (times[1] - times[0]) / 1e6;
            first[run] = (times[2] - times[1]) / 1e6;
            total[run] = (times[2] - times[0]) / 1e6;
        }
        return new Result(variant, Stats.of(init), Stats.of(first), Stats.of(total));
    }

    /** The classes a cold start loads up to its first response, counted by where they come from (one extra run, with the JVM's class-load log). */
    record ClassCensus(int total, Map<String, Integer> byOrigin) {
    }

    ClassCensus classes(Variant variant) throws Exception {
        Path log = Files.createTempFile("classes", ".log");
        try {
            once(variant.function(), variant.environmentChanges(), variant.events().get(), variant.expected(),
                    List.of("-Xlog:class+load=info:file=" + log + ":uptime"));
            Map<String, Integer> byOrigin = new java.util.TreeMap<>();
            int total = 0;
            for (String line : Files.readAllLines(log)) {
                // "[0.123s] java.lang.Object source: shared objects file": the name is the word before "source:".
                int source = line.indexOf(" source: ");
                if (source < 0) {
                    continue;
                }
                String before = line.substring(0, source);
                String name = before.substring(before.lastIndexOf(' ') + 1);
                byOrigin.merge(origin(name), 1, Integer::sum);
                total++;
            }
            return new ClassCensus(total, byOrigin);
        } finally {
            // BENCH_CLASS_LOGS=DIR in the environment keeps each log (with uptime per class) for a closer look.
            String keep = System.getenv("BENCH_CLASS_LOGS");
            if (keep != null) {
                Files.createDirectories(Path.of(keep));
                Files.move(log, Path.of(keep, variant.name().replaceAll("[^A-Za-z0-9-]+", "_") + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(log);
            }
        }
    }

    /** A library's share of the classes, by package: the JDK, the SDK's parts, the HTTP client, JSON, templates, the runtime client, ours. */
    static String origin(String className) {
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.") || className.startsWith("javax.")
                || className.startsWith("com.sun.")) {
            return "JDK";
        }
        if (className.startsWith("software.amazon.awssdk.")) {
            String[] parts = className.split("\\.");
            String part = parts[3];
            if (part.equals("services") && parts.length > 5) {
                String service = parts[4];
                return "SDK " + service + (parts[5].equals("endpoints") ? " endpoint rules" : parts[5].equals("model") ? " model" : "");
            }
            if (part.equals("core") && parts.length > 4 && parts[4].equals("internal")) {
                return "SDK core (internal)";
            }
            return "SDK " + part;
        }
        String[] known = {"org.apache.hc.", "Apache HTTP client", "com.fasterxml.jackson.", "Jackson", "gg.jte.", "jte",
                "com.amazonaws.services.lambda.", "Lambda runtime client", "com.meridianreview.", "the function", "org.slf4j.", "SLF4J",
                "org.reactivestreams.", "Reactive Streams", "org.crac.", "CRaC"};
        for (int i = 0; i < known.length; i += 2) {
            if (className.startsWith(known[i])) {
                return known[i + 1];
            }
        }
        int dot = className.indexOf('.', className.indexOf('.') + 1);
        return dot > 0 ? className.substring(0, dot) : className;
    }

    private long[] once(LocalRunner.HostedFunction function, Map<String, String> environmentChanges, byte[] event, String expected) throws Exception {
        return once(function, environmentChanges, event, expected, List.of());
    }

    private long[] once(LocalRunner.HostedFunction function, Map<String, String> environmentChanges, byte[] event, String expected,
                        List<String> extraFlags) throws Exception {
        try (RuntimeApi api = new RuntimeApi(event)) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(RUNTIME_FLAGS);
            command.addAll(extraFlags);
            command.add("-cp");
            command.add(function.codeUri() + File.pathSeparator + ricClasspath());
            command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
            command.add(function.handler());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Path taskRoot = Files.createTempDirectory("task");
            builder.directory(taskRoot.toFile());
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            environment.putAll(function.environment());
            environment.put("AWS_LAMBDA_RUNTIME_API", api.address());
            environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            environment.put("_HANDLER", function.handler());
            environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            environmentChanges.forEach((name, value) -> {
                if (value == null) {
                    environment.remove(name);
                } else {
                    environment.put(name, value);
                }
            });
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                long next = api.firstNext().get(60, TimeUnit.SECONDS);
                long responded = api.responded().get(60, TimeUnit.SECONDS);
                if (!api.response().contains(expected)) {
                    throw new IllegalStateException("the cold invocation did not answer " + expected + ": " + api.response());
                }
                return new long[] {start, next, responded};
            } finally {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                deleteQuietly(taskRoot);
            }
        }
    }

    private String ricClasspath() throws IOException {
        try (Stream<Path> jars = Files.list(ricDirectory)) {
            return String.join(File.pathSeparator, jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList());
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    static Map<String, String> changes(String name, String value) {
        Map<String, String> changes = new HashMap<>();
        changes.put(name, value);
        return changes;
    }
}
