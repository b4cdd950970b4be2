package com.meridianreview.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.meridianreview.emulators.Emulators;
import com.meridianreview.local.LocalRunner;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One command that says how fast and how big every function is: cold starts, warm latency, load
 * through the local runner, template rendering, artifact sizes and page weights. Prints a table and
 * writes bench/target/benchmarks.json. Nothing here is asserted; the figures go to docs/benchmarks.md.
 */
public final class Benchmarks {

    private static final String ARTICLE = "quiet-channels-reopen-between-gulf-rivals";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args).stream().flatMap(a -> java.util.Arrays.stream(a.trim().split("\\s+"))).filter(a -> !a.isEmpty()).toList();
        boolean quick = options.contains("--quick");
        // --baseline JAR: another build of render-page's jar, cold-started in the same run for a fair before/after.
        int baselineAt = options.indexOf("--baseline");
        Path baseline = baselineAt >= 0 && baselineAt + 1 < options.size() ? Path.of(options.get(baselineAt + 1)).toAbsolutePath() : null;
        int coldRuns = quick ? 3 : 7;
        PrintStream out = System.out;
        // The functions log a JSON line per request to standard output, as on Lambda; here those
        // lines would bury the results, so they are written (and paid for) but discarded.
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("machine", machine());
        report.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));

        Path root = Path.of("").toAbsolutePath();
        try (Emulators emulators = Emulators.inMemory();
             LocalRunner runner = LocalRunner.start(new LocalRunner.Options(0, null, true, root.resolve("infra/template.yaml"),
                     root.resolve("local/sample-content"), "bench-"), emulators, new PrintStream(java.io.OutputStream.nullOutputStream()))) {
            LocalRunner.HostedFunction page = runner.functions().stream().filter(f -> f.logicalId().equals("RenderPageFunction")).findFirst().orElseThrow();

            List<Sizes.Artifact> artifacts = new ArrayList<>();
            for (LocalRunner.HostedFunction function : runner.functions()) {
                artifacts.add(Sizes.artifact(function.logicalId(), function.codeUri()));
            }
            if (baseline != null) {
                artifacts.add(Sizes.artifact("baseline " + baseline.getFileName(), baseline));
            }
            report.put("artifacts", artifacts);
            out.println("\nArtifacts");
            artifacts.forEach(a -> out.printf(Locale.ROOT, "  %-22s %,12d bytes %,7d classes%n", a.function(), a.bytes(), a.classes()));

            List<Sizes.PageWeight> weights = List.of(Sizes.page(runner.port(), "/"), Sizes.page(runner.port(), "/articles/" + ARTICLE),
                    Sizes.page(runner.port(), "/sections/diplomacy-watch"));
            report.put("pageWeight", weights);
            out.println("\nPage weight (HTML)");
            weights.forEach(w -> out.printf(Locale.ROOT, "  %-52s %,8d bytes raw %,7d gzipped%n", w.page(), w.htmlBytes(), w.gzippedBytes()));

            out.println("\nWarm invocations, in-process, one at a time (handler-only = total minus time inside DynamoDB requests)");
            WarmInvocations warm = new WarmInvocations(page);
            List<WarmInvocations.Result> warmResults = List.of(
                    warm.measure("GET /articles/{slug}", "/articles/" + ARTICLE, Map.of("slug", ARTICLE), 2000, quick ? 1000 : 5000),
                    warm.measure("GET /", "/", Map.of(), 2000, quick ? 1000 : 5000),
                    warm.measure("GET /tags/{slug}", "/tags/energy", Map.of("slug", "energy"), 2000, quick ? 1000 : 5000));
            report.put("warm", warmResults);
            for (WarmInvocations.Result r : warmResults) {
                out.printf(Locale.ROOT, "  %-22s %7.0f/s  total p50 %6.0f us p90 %6.0f p99 %6.0f | handler-only p50 %5.0f us p99 %6.0f | %.1f DynamoDB requests, %.1f read units%n",
                        r.route(), r.invocationsPerSecond(), r.totalUs().p50(), r.totalUs().p90(), r.totalUs().p99(),
                        r.handlerOnlyUs().p50(), r.handlerOnlyUs().p99(), r.requestsPerInvocation(), r.readUnitsPerInvocation());
            }
            out.println("\nOrigin cost per million uncached page views (" + Costs.PRICES + ")");
            List<Costs.PerMillion> costs = new ArrayList<>();
            for (WarmInvocations.Result r : warmResults) {
                Costs.PerMillion cost = Costs.perMillion(r.route(), r.totalUs().p50() / 1000, Integer.parseInt(page.memory()), r.readUnitsPerInvocation());
                costs.add(cost);
                out.printf(Locale.ROOT, "  %-22s Lambda $%.2f (billed %d ms at %s MB) + HTTP API $%.2f + DynamoDB $%.2f = $%.2f%n", cost.route(),
                        cost.lambda(), cost.billedMs(), page.memory(), cost.httpApi(), cost.dynamoDb(), cost.total());
            }
            report.put("costPerMillionOriginRequests", costs);

            LoadTest.Result load = new LoadTest().run(runner.port(), List.of("/articles/" + ARTICLE, "/articles/baltic-grid-after-the-switch",
                    "/articles/sahel-aid-convoys-find-a-narrow-corridor"), 8, Duration.ofSeconds(quick ? 5 : 15), 200_000);
            report.put("load", load);
            out.printf(Locale.ROOT, "%nLoad through the local runner (HTTP on 127.0.0.1, %d clients, %.0f s): %.0f requests/s, p50 %.1f ms p90 %.1f p99 %.1f, %d failures of %d%n",
                    load.clients(), load.seconds(), load.requestsPerSecond(), load.latencyMs().p50(), load.latencyMs().p90(), load.latencyMs().p99(), load.failures(), load.requests());

            ColdStart cold = new ColdStart(root.resolve("bench/target/ric"));
            byte[] event = WarmInvocations.event("GET /articles/{slug}", "/articles/" + ARTICLE, Map.of("slug", ARTICLE));
            List<ColdStart.Result> coldResults = new ArrayList<>();
            coldResults.add(cold.measure("render-page, template JVM options (" + page.environment().get("JAVA_TOOL_OPTIONS") + ")", page, Map.of(), event, coldRuns));
            coldResults.add(cold.measure("render-page, default tiered compilation", page, ColdStart.changes("JAVA_TOOL_OPTIONS", null), event, coldRuns));
            if (baseline != null) {
                LocalRunner.HostedFunction old = new LocalRunner.HostedFunction(page.logicalId(), page.handler(), baseline, page.environment(), page.memory());
                coldResults.add(cold.measure("baseline " + baseline.getFileName() + ", template JVM options", old, Map.of(), event, coldRuns));
            }
            report.put("coldStart", coldResults);
            out.println("\nCold start (fresh JVM via the Lambda Runtime Interface Client; median, min-max)");
            for (ColdStart.Result r : coldResults) {
                out.printf(Locale.ROOT, "  %-75s init %s | first invocation %s | total %s%n", r.variant(),
                        r.initMs().medianAndRange("ms"), r.firstInvocationMs().medianAndRange("ms"), r.totalMs().medianAndRange("ms"));
            }

            out.println("\nSnapStart priming (fresh JVM, handler built as Lambda builds it; the first request after priming is what a restored snapshot serves first)");
            List<Map<String, Object>> priming = new ArrayList<>();
            for (String mode : List.of("noprime", "prime")) {
                Map<String, Object> result = primingProbe(mode, page, event, coldRuns);
                priming.add(result);
                out.printf(Locale.ROOT, "  %-8s construct %s | priming %s | first request %s | second request %s%n", mode,
                        ((Stats) result.get("constructMs")).medianAndRange("ms"), ((Stats) result.get("primeMs")).medianAndRange("ms"),
                        ((Stats) result.get("firstMs")).medianAndRange("ms"), ((Stats) result.get("secondMs")).medianAndRange("ms"));
            }
            report.put("priming", priming);

            out.println("\nSDK HTTP clients (fresh JVM each, C1 only; JVM start to first GetItem answered, then warm GetItem)");
            List<Map<String, Object>> clients = new ArrayList<>();
            for (String client : List.of("url-connection", "apache5", "crt")) {
                Map<String, Object> result = probe(client, emulators, page.environment().get("CONTENT_TABLE"), quick ? 3 : 5);
                clients.add(result);
                out.printf(Locale.ROOT, "  %-15s JVM start to first response %s | warm GetItem p50 %.0f us p99 %.0f us%n", client,
                        ((Stats) result.get("firstResponseMs")).medianAndRange("ms"), result.get("warmP50Us"), result.get("warmP99Us"));
            }
            report.put("httpClients", clients);
        }

        out.println("\nTemplate rendering alone (JMH, average time per page)");
        Map<String, Double> rendering = new LinkedHashMap<>();
        for (RunResult result : new Runner(new OptionsBuilder()
                .include("com.meridianreview.page.TemplateRendering")
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .build()).run()) {
            String name = result.getParams().getBenchmark();
            double micros = result.getPrimaryResult().getScore();
            rendering.put(name.substring(name.lastIndexOf('.') + 1), micros);
            out.printf(Locale.ROOT, "  %-20s %8.1f us  (error %.1f)%n", name.substring(name.lastIndexOf('.') + 1), micros, result.getPrimaryResult().getScoreError());
        }
        report.put("templateRenderingUs", rendering);

        Path json = root.resolve("bench/target/benchmarks.json");
        Files.createDirectories(json.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        out.println("\nWrote " + root.relativize(json));
    }

    private static Map<String, Object> primingProbe(String mode, LocalRunner.HostedFunction function, byte[] event, int runs) throws Exception {
        Path eventFile = Files.createTempFile("event", ".json");
        Files.write(eventFile, event);
        String[] names = {"constructMs", "primeMs", "firstMs", "secondMs"};
        double[][] values = new double[names.length][runs];
        ObjectMapper json = new ObjectMapper();
        try {
            for (int run = 0; run < runs; run++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(ColdStart.RUNTIME_FLAGS);
                command.addAll(List.of("-cp", function.codeUri() + File.pathSeparator + Path.of("bench/target/classes").toAbsolutePath(),
                        PrimingProbe.class.getName(), mode, eventFile.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().putAll(function.environment());
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("priming probe failed: " + output);
                }
                JsonNode line = json.readTree(output.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElseThrow().substring(6));
                for (int i = 0; i < names.length; i++) {
                    values[i][run] = line.get(names[i]).asDouble();
                }
            }
        } finally {
            Files.deleteIfExists(eventFile);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mode", mode);
        for (int i = 0; i < names.length; i++) {
            result.put(names[i], Stats.of(values[i]));
        }
        return result;
    }

    private static Map<String, Object> probe(String client, Emulators emulators, String table, int runs) throws Exception {
        String classpath = Files.readString(Path.of("bench/target/classpath.txt")).trim() + File.pathSeparator + Path.of("bench/target/classes").toAbsolutePath();
        double[] first = new double[runs];
        double p50 = 0;
        double p99 = 0;
        ObjectMapper json = new ObjectMapper();
        for (int run = 0; run < runs; run++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(ColdStart.RUNTIME_FLAGS);
            command.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-cp", classpath, ClientProbe.class.getName(), client,
                    emulators.dynamoDbEndpoint().toString(), table, emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey(), ARTICLE));
            long start = System.currentTimeMillis();
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("client probe " + client + " failed: " + output);
            }
            JsonNode line = json.readTree(output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            first[run] = line.get("firstDone").asLong() - start;
            p50 += line.get("warmP50Us").asDouble() / runs;
            p99 += line.get("warmP99Us").asDouble() / runs;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client", client);
        result.put("firstResponseMs", Stats.of(first));
        result.put("warmP50Us", p50);
        result.put("warmP99Us", p99);
        return result;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (java.io.IOException e) {
            // not Linux: the CPU name is only a label
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap";
    }
}
