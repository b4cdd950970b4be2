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
 * through the local runner, template rendering, artifact sizes and page weights, and what related
 * stories cost at the size of a real archive. Prints a table and writes bench/target/benchmarks.json.
 * Nothing here is asserted; the figures go to docs/benchmarks.md.
 */
public final class Benchmarks {

    private static final String ARTICLE = "quiet-channels-reopen-between-gulf-rivals";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args).stream().flatMap(a -> java.util.Arrays.stream(a.trim().split("\\s+"))).filter(a -> !a.isEmpty()).toList();
        boolean quick = options.contains("--quick");
        // --cold-only: the cold starts (with --peer, the side-by-side and class counts) and nothing else.
        boolean coldOnly = options.contains("--cold-only");
        // --baseline JAR: another build of render-page's jar, cold-started in the same run for a fair before/after.
        int baselineAt = options.indexOf("--baseline");
        Path baseline = baselineAt >= 0 && baselineAt + 1 < options.size() ? Path.of(options.get(baselineAt + 1)).toAbsolutePath() : null;
        // --runner-baseline JAR [ROOT]: another build of the local runner (and its project folder),
        // started side by side with this one for Ready time and latency through the runner.
        int runnerBaselineAt = options.indexOf("--runner-baseline");
        Path runnerBaseline = runnerBaselineAt >= 0 && runnerBaselineAt + 1 < options.size() ? Path.of(options.get(runnerBaselineAt + 1)).toAbsolutePath() : null;
        // --peer JAR [--peer-handler CLASS::METHOD]: another Lambda function's jar (by default a build
        // of AWS's plain-Java Dagger sample, see docs/benchmarks.md), cold-started interleaved with ours.
        int peerAt = options.indexOf("--peer");
        Path peer = peerAt >= 0 && peerAt + 1 < options.size() ? Path.of(options.get(peerAt + 1)).toAbsolutePath() : null;
        int peerHandlerAt = options.indexOf("--peer-handler");
        String peerHandler = peerHandlerAt >= 0 && peerHandlerAt + 1 < options.size() ? options.get(peerHandlerAt + 1)
                : "software.amazonaws.example.product.handler.GetProductByIdHandler::handleRequest";
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
        if (!coldOnly) {
            report.put("localRunner", runnerFigures(root, runnerBaseline, quick, out));
        }
        try (Emulators emulators = Emulators.inMemory();
             LocalRunner runner = LocalRunner.start(new LocalRunner.Options(0, null, true, root.resolve("infra/template.yaml"),
                     root.resolve("local/sample-content"), "bench-"), emulators, new PrintStream(java.io.OutputStream.nullOutputStream()))) {
            LocalRunner.HostedFunction page = hosted(runner, "RenderPageFunction");
            LocalRunner.HostedFunction uploads = hosted(runner, "EditorUploadsFunction");
            LocalRunner.HostedFunction related = hosted(runner, "RelatedStoriesFunction");
            LocalRunner.HostedFunction newsletter = hosted(runner, "NewsletterFunction");
            LocalRunner.HostedFunction digest = hosted(runner, "DigestFunction");
            byte[] resume = "{\"resume\":\"weekly\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            NewsletterEvents newsletterEvents = new NewsletterEvents(newsletter.environment());
            byte[] uploadRequest = uploadRequest(uploads);
            byte[] uploadStatus = uploadStatus(uploads);
            byte[] relatedLookup = relatedLookup(ARTICLE);

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

            if (!coldOnly) {
                List<Sizes.PageWeight> weights = List.of(Sizes.page(runner.port(), "/"), Sizes.page(runner.port(), "/articles/" + ARTICLE),
                        Sizes.page(runner.port(), "/sections/diplomacy-watch"));
                report.put("pageWeight", weights);
                out.println("\nPage weight (HTML)");
                weights.forEach(w -> out.printf(Locale.ROOT, "  %-52s %,8d bytes raw %,7d gzipped%n", w.page(), w.htmlBytes(), w.gzippedBytes()));

                out.println("\nWarm invocations, in-process, one at a time (handler-only = total minus time inside AWS requests: DynamoDB, and SES for the newsletter)");
                WarmInvocations warm = new WarmInvocations(page);
                // The same pages with no container copy of the newest stories (SITE_LISTS_TTL_SECONDS=0): how every page read before it.
                Map<String, String> uncachedLists = new java.util.HashMap<>(page.environment());
                uncachedLists.put("SITE_LISTS_TTL_SECONDS", "0");
                WarmInvocations uncached = new WarmInvocations(com.meridianreview.page.InProcessPageHandler.create(uncachedLists));
                List<WarmInvocations.Result> warmResults = List.of(
                        warm.measure("GET /articles/{slug}", "/articles/" + ARTICLE, Map.of("slug", ARTICLE), 2000, quick ? 1000 : 5000),
                        warm.measure("GET /", "/", Map.of(), 2000, quick ? 1000 : 5000),
                        warm.measure("GET /tags/{slug}", "/tags/energy", Map.of("slug", "energy"), 2000, quick ? 1000 : 5000),
                        uncached.measure("GET /articles/{slug} (lists not kept)", WarmInvocations.event("GET /articles/{slug}", "/articles/" + ARTICLE,
                                Map.of("slug", ARTICLE)), 200, 2000, quick ? 1000 : 5000),
                        uncached.measure("GET / (lists not kept)", WarmInvocations.event("GET /", "/", Map.of()), 200, 2000, quick ? 1000 : 5000));
                WarmInvocations uploadsWarm = new WarmInvocations(com.meridianreview.editor.InProcessUploadsHandler.create(uploads.environment()));
                WarmInvocations relatedWarm = new WarmInvocations(com.meridianreview.related.InProcessRelatedHandler.create(related.environment()));
                List<WarmInvocations.Result> apiResults = List.of(
                        uploadsWarm.measure("POST /api/editor/uploads", uploadRequest, 201, 2000, quick ? 1000 : 5000),
                        uploadsWarm.measure("GET /api/editor/uploads/status", uploadStatus, 200, 2000, quick ? 1000 : 5000),
                        relatedWarm.measure("GET /api/related/{slug}", relatedLookup, 200, 2000, quick ? 1000 : 5000));
                WarmInvocations newsletterWarm = new WarmInvocations(com.meridianreview.newsletter.InProcessNewsletterHandler.create(newsletter.environment()));
                newsletterEvents.checkConfirmationLink(newsletterWarm, emulators.sesEndpoint());
                // Each confirmation is of an address the signups made pending, so both take the same counts.
                WarmInvocations.Result signups = newsletterWarm.measure(NewsletterEvents.SIGNUP, i -> newsletterEvents.warmSignup(), 202, 2000,
                        quick ? 1000 : 5000);
                List<byte[]> confirmations = newsletterEvents.confirmations();
                WarmInvocations.Result confirms = newsletterWarm.measure(NewsletterEvents.CONFIRM, confirmations::get, 200, 2000, quick ? 1000 : 5000);
                List<WarmInvocations.Result> allWarm = new ArrayList<>(warmResults);
                allWarm.addAll(apiResults);
                allWarm.add(signups);
                allWarm.add(confirms);
                report.put("warm", allWarm);
                for (WarmInvocations.Result r : allWarm) {
                    String mail = r.requestsTo("sesv2") > 0 ? String.format(Locale.ROOT, ", %.1f SES requests", r.requestsTo("sesv2")) : "";
                    out.printf(Locale.ROOT, "  %-36s %7.0f/s  total p50 %6.0f us p90 %6.0f p99 %6.0f | handler-only p50 %5.0f us p99 %6.0f | %.1f DynamoDB requests%s, %.1f read units%n",
                            r.route(), r.invocationsPerSecond(), r.totalUs().p50(), r.totalUs().p90(), r.totalUs().p99(),
                            r.handlerOnlyUs().p50(), r.handlerOnlyUs().p99(), r.requestsTo("dynamodb"), mail, r.readUnitsPerInvocation());
                }
                for (WarmInvocations.Result r : List.of(signups, confirms)) {
                    out.printf(Locale.ROOT, "  %-36s requests per invocation by operation: %s%n", r.route(), rounded(r.requestsByOperation()));
                }
                DigestRun.Result roundUp = DigestRun.run(digest.environment(), quick ? 500 : 1000);
                report.put("roundUp", roundUp);
                out.printf(Locale.ROOT, "%nWeekly round-up, one issue to %,d confirmed subscribers (unpaced; the template's pace is 10 a second): %.1f s, %.2f ms per subscriber,"
                        + " per 1,000 subscribers %.0f DynamoDB requests %s and %.0f SES requests%n", roundUp.sent(), roundUp.seconds(), roundUp.msPerSubscriber(),
                        roundUp.dynamoDbRequestsPer1000(), rounded(roundUp.requestsPer1000ByOperation()), roundUp.sesRequestsPer1000());
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

            }
            ColdStart cold = new ColdStart(root.resolve("bench/target/ric"));
            byte[] event = WarmInvocations.event("GET /articles/{slug}", "/articles/" + ARTICLE, Map.of("slug", ARTICLE));
            List<ColdStart.Result> coldResults = new ArrayList<>();
            coldResults.add(cold.measure("render-page, template JVM options (" + page.environment().get("JAVA_TOOL_OPTIONS") + ")", page, Map.of(), event, coldRuns));
            coldResults.add(cold.measure("render-page, default tiered compilation", page, ColdStart.changes("JAVA_TOOL_OPTIONS", null), event, coldRuns));
            if (baseline != null) {
                LocalRunner.HostedFunction old = new LocalRunner.HostedFunction(page.logicalId(), page.handler(), baseline, page.environment(), page.memory());
                coldResults.add(cold.measure("baseline " + baseline.getFileName() + ", template JVM options", old, Map.of(), event, coldRuns));
            }
            LocalRunner.HostedFunction ingest = hosted(runner, "IngestFunction");
            byte[] upload = ("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"bench-imagebucket\"},"
                    + "\"object\":{\"key\":\"incoming/" + ARTICLE + ".md\",\"size\":1,\"sequencer\":\"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\"}}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            coldResults.add(cold.measure("content-ingest (IngestFunction), one article upload, template JVM options", ingest, Map.of(), upload, "\"published\":1", coldRuns));
            coldResults.add(cold.measure("editor-uploads, POST /api/editor/uploads (signed URL), template JVM options", uploads, Map.of(), uploadRequest,
                    "\"statusCode\":201", coldRuns));
            coldResults.add(cold.measure("related-stories, GET /api/related/{slug}, template JVM options", related, Map.of(), relatedLookup, coldRuns));
            coldResults.add(cold.measure("newsletter-signup, POST /api/newsletter/subscriptions (new address), template JVM options", newsletter, Map.of(),
                    newsletterEvents::coldSignup, "\"statusCode\":202", coldRuns));
            coldResults.add(cold.measure("newsletter-digest (DigestFunction), resume schedule (one Query), template JVM options", digest, Map.of(), resume,
                    "nothing to resume", coldRuns));
            if (peer != null) {
                coldResults.addAll(peerComparison(cold, emulators, List.of(
                        new ColdStart.Variant("render-page", page, Map.of(), event, "\"statusCode\":200"),
                        new ColdStart.Variant("content-ingest", ingest, Map.of(), upload, "\"published\":1"),
                        new ColdStart.Variant("editor-uploads", uploads, Map.of(), uploadRequest, "\"statusCode\":201"),
                        new ColdStart.Variant("related-stories", related, Map.of(), relatedLookup, "\"statusCode\":200"),
                        new ColdStart.Variant("newsletter-signup", newsletter, Map.of(), newsletterEvents::coldSignup, "\"statusCode\":202"),
                        new ColdStart.Variant("newsletter-digest", digest, Map.of(), () -> resume, "nothing to resume")),
                        peer, peerHandler, quick ? 5 : 15, report, out));
            }
            report.put("coldStart", coldResults);
            out.println("\nCold start (fresh JVM via the Lambda Runtime Interface Client; median, min-max)");
            for (ColdStart.Result r : coldResults) {
                out.printf(Locale.ROOT, "  %-80s init %s | first invocation %s | total %s%n", r.variant(),
                        r.initMs().medianAndRange("ms"), r.firstInvocationMs().medianAndRange("ms"), r.totalMs().medianAndRange("ms"));
            }

            if (!coldOnly) {
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

                report.put("relatedAtScale", relatedAtScale(ingest, related, quick, out));
            }
        }

        if (!coldOnly) {
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
        }

        Path json = root.resolve("bench/target/benchmarks.json");
        Files.createDirectories(json.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        out.println("\nWrote " + root.relativize(json));
    }

    /**
     * The runner as a person starts it: time to Ready on a fresh data directory (sample content
     * loaded through the ingest function), article latency through it with one client and with
     * eight, and the memory it and its children hold with every function warm. With a baseline
     * build the two run interleaved, so the ratio is fair on a noisy machine.
     */
    private static Map<String, Object> runnerFigures(Path root, Path baseline, boolean quick, PrintStream out) throws Exception {
        Map<Path, Path> builds = new LinkedHashMap<>();
        builds.put(root.resolve("local/target/local-runner.jar"), root);
        if (baseline != null) {
            // The baseline jar sits in <its project>/local/target/.
            builds.put(baseline, baseline.getParent().getParent().getParent());
        }
        int runs = quick ? 3 : 5;
        Map<Path, double[]> ready = new LinkedHashMap<>();
        builds.keySet().forEach(jar -> ready.put(jar, new double[runs]));
        for (int run = 0; run < runs; run++) {
            for (Map.Entry<Path, Path> build : builds.entrySet()) {
                Path data = Files.createTempDirectory("runner-data");
                try (RunnerProcess runner = RunnerProcess.start(build.getKey(), build.getValue(), data)) {
                    ready.get(build.getKey())[run] = runner.readyMs();
                }
                deleteTree(data);
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        out.println("\nLocal runner (java -jar ... --port 0 on a fresh data directory; median, min-max)");
        List<String> paths = List.of("/articles/" + ARTICLE, "/articles/baltic-grid-after-the-switch", "/articles/sahel-aid-convoys-find-a-narrow-corridor");
        List<RunnerProcess> started = new ArrayList<>();
        List<Path> dataDirs = new ArrayList<>();
        try {
            for (Map.Entry<Path, Path> build : builds.entrySet()) {
                Path data = Files.createTempDirectory("runner-data");
                dataDirs.add(data);
                started.add(RunnerProcess.start(build.getKey(), build.getValue(), data));
            }
            // Warm up as a reader's session would: one client first (the environment it keeps
            // reusing gets compiled), then eight (every environment the runner starts gets its turn).
            for (RunnerProcess runner : started) {
                new LoadTest().run(runner.port(), paths, 1, Duration.ofSeconds(quick ? 3 : 6), 100_000);
                new LoadTest().run(runner.port(), paths, 8, Duration.ofSeconds(quick ? 3 : 6), 100_000);
            }
            Map<Path, List<Double>> single = new LinkedHashMap<>();
            Map<Path, List<Double>> eight = new LinkedHashMap<>();
            List<Path> jars = new ArrayList<>(builds.keySet());
            for (int round = 0; round < (quick ? 1 : 3); round++) {
                for (int i = 0; i < started.size(); i++) {
                    single.computeIfAbsent(jars.get(i), j -> new ArrayList<>()).add(
                            new LoadTest().run(started.get(i).port(), paths, 1, Duration.ofSeconds(3), 100_000).latencyMs().p50());
                    eight.computeIfAbsent(jars.get(i), j -> new ArrayList<>()).add(
                            new LoadTest().run(started.get(i).port(), paths, 8, Duration.ofSeconds(3), 100_000).latencyMs().p50());
                }
            }
            for (int i = 0; i < started.size(); i++) {
                Path jar = jars.get(i);
                String name = i == 0 ? "this build" : "baseline " + root.relativize(jar);
                Stats readyStats = Stats.of(ready.get(jar));
                double oneClient = median(single.get(jar));
                double eightClients = median(eight.get(jar));
                Map<String, Double> memory = started.get(i).residentMib();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("readyMs", readyStats);
                row.put("articleP50MsOneClient", oneClient);
                row.put("articleP50MsEightClients", eightClients);
                row.put("residentMib", memory);
                figures.put(name, row);
                out.printf(Locale.ROOT, "  %-40s Ready %s | article p50 %.2f ms (1 client), %.2f ms (8 clients) | memory %.0f MiB in all %s%n", name,
                        readyStats.medianAndRange("ms"), oneClient, eightClients, memory.values().stream().mapToDouble(Double::doubleValue).sum(), memory);
            }
            if (started.size() == 2) {
                double ratio = median(single.get(jars.get(0))) / median(single.get(jars.get(1)));
                figures.put("articleP50RatioOneClient", ratio);
                out.printf(Locale.ROOT, "  one-client article p50, this build / baseline: %.2f%n", ratio);
            }
        } finally {
            for (RunnerProcess runner : started) {
                runner.close();
            }
            for (Path data : dataDirs) {
                deleteTree(data);
            }
        }
        return figures;
    }

    /**
     * Our functions and a peer's, cold-started in turn with the same JVM options (the template's),
     * the same Runtime API and the same Dynoxide; the peer gets a products table with one item and
     * an API Gateway REST event asking for it, as its GetProductById handler expects. Each of ours
     * is reported as a ratio to the peer's median, from the same interleaved rounds.
     */
    private static List<ColdStart.Result> peerComparison(ColdStart cold, Emulators emulators, List<ColdStart.Variant> ours,
                                                         Path peerJar, String peerHandler, int runs, Map<String, Object> report, PrintStream out) throws Exception {
        String table = "bench-peer-products";
        try (var dynamoDb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(emulators.dynamoDbEndpoint())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey())))
                .build()) {
            dynamoDb.createTable(t -> t.tableName(table).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("PK").attributeType("S")).keySchema(k -> k.attributeName("PK").keyType("HASH")));
            dynamoDb.putItem(p -> p.tableName(table).item(Map.of("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("1"),
                    "name", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("Tea"),
                    "price", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("4.50"))));
        }
        LocalRunner.HostedFunction page = ours.get(0).function();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_DYNAMODB",
                "JAVA_TOOL_OPTIONS", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "PATH", "LANG", "TZ")) {
            if (page.environment().containsKey(name)) {
                environment.put(name, page.environment().get(name));
            }
        }
        environment.put("PRODUCT_TABLE_NAME", table);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "peer");
        LocalRunner.HostedFunction peer = new LocalRunner.HostedFunction("Peer", peerHandler, peerJar, environment, page.memory());
        byte[] peerEvent = "{\"httpMethod\":\"GET\",\"path\":\"/products/1\",\"pathParameters\":{\"id\":\"1\"},\"headers\":{}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<ColdStart.Variant> variants = new ArrayList<>();
        variants.add(new ColdStart.Variant("peer " + peerJar.getFileName() + " (GetProductById), same JVM options", peer, Map.of(), peerEvent, "\"statusCode\":200"));
        for (ColdStart.Variant variant : ours) {
            variants.add(new ColdStart.Variant(variant.name() + ", interleaved with the peer", variant.function(), variant.environmentChanges(),
                    variant.events(), variant.expected()));
        }
        List<ColdStart.Result> results = cold.interleaved(variants, runs);
        ColdStart.Result reference = results.get(0);
        out.printf(Locale.ROOT, "%nCold start against the peer (%d interleaved runs; ratio of medians to the peer's, < 1 is faster)%n", runs);
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (int i = 1; i < results.size(); i++) {
            ColdStart.Result r = results.get(i);
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("function", ours.get(i - 1).name());
            ratio.put("total", r.totalMs().p50() / reference.totalMs().p50());
            ratio.put("init", r.initMs().p50() / reference.initMs().p50());
            ratio.put("firstInvocation", r.firstInvocationMs().p50() / reference.firstInvocationMs().p50());
            ratios.add(ratio);
            out.printf(Locale.ROOT, "  %-17s total %.2f (init %.2f, first invocation %.2f)%n", ours.get(i - 1).name(),
                    ratio.get("total"), ratio.get("init"), ratio.get("firstInvocation"));
        }
        report.put("coldStartRatioToPeer", ratios);
        out.println("\nClasses loaded from JVM start to the first response (one more cold start each, with -Xlog:class+load)");
        List<Map<String, Object>> censuses = new ArrayList<>();
        for (ColdStart.Variant variant : variants) {
            ColdStart.ClassCensus census = cold.classes(variant);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", variant.name());
            row.put("classes", census.total());
            row.put("byOrigin", census.byOrigin());
            censuses.add(row);
            String top = census.byOrigin().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            out.printf(Locale.ROOT, "  %-80s %,6d classes: %s%n", variant.name(), census.total(), top);
        }
        report.put("classesLoaded", censuses);
        return results;
    }

    /**
     * Related stories in a synthetic archive of two sizes: publish + refresh cost and look-up cost,
     * and how they grow from the smaller to the larger (only the count of the whole magazine should).
     */
    private static Map<String, Object> relatedAtScale(LocalRunner.HostedFunction ingest, LocalRunner.HostedFunction related, boolean quick,
                                                      PrintStream out) throws Exception {
        int[] sizes = quick ? new int[] {1_000, 3_000} : new int[] {1_000, 10_000};
        int publishes = quick ? 100 : 200;
        RelatedAtScale scale = new RelatedAtScale(ingest.environment(), related.environment());
        List<RelatedAtScale.Result> results = new ArrayList<>();
        out.println("\nRelated stories at scale (synthetic published articles in a fresh content table in Dynoxide; publish = ContentStore.publish"
                + " + RelatedLists.refresh with the ingest's client, look-up = the related-stories handler in-process; median, p99)");
        for (int size : sizes) {
            RelatedAtScale.Result r = scale.measure(size, publishes, 500, 20261126L);
            results.add(r);
            RelatedAtScale.PublishCost p = r.publish();
            RelatedAtScale.LookupCost l = r.lookup();
            out.printf(Locale.ROOT, "  %,7d articles (%.2f tags each) | publish + refresh p50 %.0f ms p99 %.0f ms, %.2f DynamoDB requests per publish"
                            + " (publish %.2f + refresh %.2f; p50 %.0f, max %.0f), %.2f other lists updated | by operation %s%n",
                    r.articles(), r.tagsPerArticle(), p.totalMs().p50(), p.totalMs().p99(), p.requestsPerPublish(), p.publishRequestsPerPublish(),
                    p.refreshRequestsPerPublish(), p.requests().p50(), p.requests().max(), p.listsUpdatedPerPublish(), rounded(p.requestsByOperation()));
            out.printf(Locale.ROOT, "  %,7d articles | look-up (%d random slugs) p50 %.0f us p99 %.0f us, handler-only p50 %.0f us p99 %.0f us,"
                            + " %.2f DynamoDB requests and %.2f read units per look-up, %.1f stories answered%n",
                    r.articles(), l.lookups(), l.totalUs().p50(), l.totalUs().p99(), l.handlerOnlyUs().p50(), l.handlerOnlyUs().p99(),
                    l.requestsPerLookup(), l.readUnitsPerLookup(), l.storiesPerLookup());
            out.printf(Locale.ROOT, "  %,7d articles | corpus: %s; bulk part written in %.1f s, lists of %.1f stories; all %,d teasers of the latest list weigh"
                            + " %,d bytes, %d COUNT page(s) on DynamoDB%n",
                    r.articles(), r.loading().how(), r.loading().bulkSeconds(), r.loading().meanKeptInBulk(), r.articles(),
                    r.loading().latestListingBytes(), r.loading().countPagesOnDynamoDb());
        }
        RelatedAtScale.Result small = results.get(0);
        RelatedAtScale.Result large = results.get(results.size() - 1);
        Map<String, Object> growth = new LinkedHashMap<>();
        growth.put("from", small.articles());
        growth.put("to", large.articles());
        growth.put("requestsPerPublish", List.of(small.publish().requestsPerPublish(), large.publish().requestsPerPublish()));
        double smallCounts = small.publish().requestsByOperation().getOrDefault("Query (COUNT)", 0.0);
        double largeCounts = large.publish().requestsByOperation().getOrDefault("Query (COUNT)", 0.0);
        growth.put("countQueriesPerPublish", List.of(smallCounts, largeCounts));
        growth.put("requestsPerLookup", List.of(small.lookup().requestsPerLookup(), large.lookup().requestsPerLookup()));
        growth.put("publishP50Ratio", large.publish().totalMs().p50() / small.publish().totalMs().p50());
        growth.put("lookupP50Ratio", large.lookup().totalUs().p50() / small.lookup().totalUs().p50());
        out.printf(Locale.ROOT, "  %,d -> %,d articles: requests per publish %.2f -> %.2f (COUNT queries %.2f -> %.2f), per look-up %.2f -> %.2f;"
                        + " publish p50 x%.2f, look-up p50 x%.2f%n",
                small.articles(), large.articles(), small.publish().requestsPerPublish(), large.publish().requestsPerPublish(),
                smallCounts, largeCounts,
                small.lookup().requestsPerLookup(), large.lookup().requestsPerLookup(), growth.get("publishP50Ratio"), growth.get("lookupP50Ratio"));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("corpora", results);
        figures.put("growth", growth);
        return figures;
    }

    private static String rounded(Map<String, Double> perPublish) {
        StringBuilder text = new StringBuilder();
        perPublish.forEach((name, n) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(String.format(Locale.ROOT, "%.2f", n)));
        return text.toString();
    }

    private static LocalRunner.HostedFunction hosted(LocalRunner runner, String logicalId) {
        return runner.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the template has no " + logicalId));
    }

    /** What the editor page sends for a signed URL, with the claims API Gateway's JWT authorizer passes on for an editor. */
    private static byte[] uploadRequest(LocalRunner.HostedFunction uploads) throws Exception {
        return WarmInvocations.event("POST /api/editor/uploads", "/api/editor/uploads", Map.of(), Map.of(),
                "{\"kind\":\"article\",\"fileName\":\"a-story.md\",\"contentType\":\"text/markdown\",\"size\":1000}", editorClaims(uploads),
                "application/json");
    }

    /** The editor page's poll for an upload the ingest has not reported on: one GetItem that finds nothing. */
    private static byte[] uploadStatus(LocalRunner.HostedFunction uploads) throws Exception {
        return WarmInvocations.event("GET /api/editor/uploads/status", "/api/editor/uploads/status", Map.of(),
                Map.of("key", "incoming/articles/a-story.md"), null, editorClaims(uploads), "application/json");
    }

    private static Map<String, String> editorClaims(LocalRunner.HostedFunction uploads) {
        // As the template names them, so the bench keeps passing the group check if a stack renames the claim or the group.
        return Map.of("sub", "bench", uploads.environment().getOrDefault("EDITOR_GROUPS_CLAIM", "cognito:groups"),
                "[" + uploads.environment().getOrDefault("EDITOR_GROUP", "editors") + "]");
    }

    private static byte[] relatedLookup(String slug) throws Exception {
        return WarmInvocations.event("GET /api/related/{slug}", "/api/related/" + slug, Map.of("slug", slug), Map.of(), null, Map.of(), "application/json");
    }

    private static double median(List<Double> values) {
        return Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray()).p50();
    }

    private static void deleteTree(Path directory) throws java.io.IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
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
