package com.meridianreview.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorException;
import com.meridianreview.emulators.Emulators;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * "sam local start-api" without Docker: serves the functions of infra/template.yaml on
 * 127.0.0.1 against Dynoxide, S3Proxy and aws-ses-v2-local, with the tables, buckets, routes and environment
 * variables the template declares, and invokes them for its S3 events, schedules and SNS topics.
 */
public final class LocalRunner implements AutoCloseable {

    /** The template parameter that holds the site's public address; locally, the runner's own. */
    static final String SITE_URL_PARAMETER = "SiteUrl";
    static final String CONTENT_TABLE_VARIABLE = "CONTENT_TABLE";

    /**
     * How to start: the port (0 for any free one), where state lives (null: memory), what to
     * serve, a name prefix for local resources, how many environments each function may run at
     * once, how long an idle one lives, where the Lambda runtime client's jars are, and template
     * parameters to override.
     */
    public record Options(int port, Path dataDir, boolean loadSamples, Path template, Path samples, String prefix,
                          int maxInstances, Duration idleLimit, Path runtimeDir, Map<String, String> parameters) {

        public Options(int port, Path dataDir, boolean loadSamples, Path template, Path samples, String prefix) {
            this(port, dataDir, loadSamples, template, samples, prefix, DEFAULT_MAX_INSTANCES, DEFAULT_IDLE_LIMIT, defaultRuntimeDir(), Map.of());
        }
    }

    /** A function as the runner hosts it: what the template names and the environment it was given. */
    public record HostedFunction(String logicalId, String handler, Path codeUri, Map<String, String> environment, String memory) {
    }

    static final int DEFAULT_MAX_INSTANCES = 4;
    static final Duration DEFAULT_IDLE_LIMIT = Duration.ofMinutes(10);

    private final List<AutoCloseable> resources;
    private final HttpApiGateway gateway;
    private final SampleContent.Loaded loaded;
    private final List<FunctionPool> pools;
    private final ChildProcesses children;
    private final AsyncInvoker invoker;
    private final IdentityProvider identity;
    private final SamApplication.JwtAuthorizer authorizer;
    private final Schedules schedules;

    private LocalRunner(List<AutoCloseable> resources, HttpApiGateway gateway, SampleContent.Loaded loaded, List<FunctionPool> pools,
                        ChildProcesses children, AsyncInvoker invoker, IdentityProvider identity, SamApplication.JwtAuthorizer authorizer,
                        Schedules schedules) {
        this.resources = resources;
        this.gateway = gateway;
        this.loaded = loaded;
        this.pools = List.copyOf(pools);
        this.children = children;
        this.invoker = invoker;
        this.identity = identity;
        this.authorizer = authorizer;
        this.schedules = schedules;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("invoke")) {
            System.exit(invoke(args));
            return;
        }
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        Options options;
        try {
            options = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Arguments.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(Arguments.USAGE);
            return;
        }
        LocalRunner runner;
        try {
            runner = start(options, null, System.out, Clock.systemUTC(), true);
        } catch (TemplateException | EmulatorException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("error: the local runner could not start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "local-runner-shutdown"));
        System.out.println("Ready: http://127.0.0.1:" + runner.port() + "/");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code invoke FUNCTION EVENT [options]}: one event through one function, its answer on standard output. */
    private static int invoke(String[] args) {
        if (args.length < 3) {
            System.err.println("error: invoke needs a function's logical id and an event file");
            System.err.println(Arguments.USAGE);
            return 2;
        }
        Options options;
        byte[] event;
        try {
            Options given = Arguments.parse(java.util.Arrays.copyOfRange(args, 3, args.length));
            if (given == null) {
                System.out.println(Arguments.USAGE);
                return 0;
            }
            options = new Options(0, given.dataDir(), false, given.template(), given.samples(), given.prefix(),
                    1, given.idleLimit(), given.runtimeDir(), given.parameters());
            event = args[2].equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(args[2]));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        // Function logs and the runner's own lines go to standard error; standard output carries the answer alone.
        // One event is all this run is for: no schedule fires meanwhile.
        try (LocalRunner runner = start(options, null, System.err, Clock.systemUTC(), false)) {
            FunctionPool.Result result = runner.invoke(args[1], event);
            if (!result.outcome().succeeded()) {
                System.err.println("error: " + args[1] + " failed: " + result.outcome().error());
                return 1;
            }
            System.out.println(new String(result.outcome().payload(), java.nio.charset.StandardCharsets.UTF_8));
            System.out.flush();
            return 0;
        } catch (TemplateException | EmulatorException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Starts everything. With {@code emulators} null the runner starts its own and stops them on
     * close; otherwise it uses those given (tests share one pair per JVM).
     */
    public static LocalRunner start(Options options, Emulators emulators, PrintStream out) {
        return start(options, emulators, out, Clock.systemUTC(), false);
    }

    /**
     * As {@link #start(Options, Emulators, PrintStream)}, with the clock the schedules are timed by
     * (and SNS and SES events dated by), and whether schedules fire on their own or only on demand.
     * The command line's runner fires them on their own; a runner started by tests or the bench
     * fires them only on demand, so that a run that crosses Saturday 08:00 sends no one a round-up.
     */
    static LocalRunner start(Options options, Emulators emulators, PrintStream out, Clock clock, boolean timedSchedules) {
        List<AutoCloseable> resources = new ArrayList<>();
        ChildProcesses children = new ChildProcesses(options.dataDir() == null ? null : options.dataDir().resolve("runner.pids"));
        try {
            if (options.dataDir() != null) {
                Files.createDirectories(options.dataDir());
            }
            // A first run (no table on disk yet) loads the sample content through the ingest function.
            boolean firstRun = options.dataDir() == null || !Files.exists(options.dataDir().resolve(Emulators.DYNAMODB_FILE));
            int leftovers = children.stopLeftovers();
            if (leftovers > 0) {
                out.println("Stopped " + leftovers + " processes an earlier runner left running");
            }
            if (emulators == null) {
                emulators = Emulators.start(options.dataDir());
                resources.add(emulators);
                emulators.processes().forEach(children::record);
                // Where to point the AWS CLI or an SDK to look at the data, or to upload as an editor.
                out.println("Emulators: DynamoDB " + emulators.dynamoDbEndpoint() + ", S3 " + emulators.s3Endpoint() + ", SES " + emulators.sesEndpoint()
                        + " (access key " + emulators.credentials().accessKeyId() + ", secret " + emulators.credentials().secretAccessKey() + ")");
            }
            ObjectMapper json = new ObjectMapper();
            RunnerOutput console = new RunnerOutput(out);
            RouteTable routes = new RouteTable();
            // No bucket paths until the template is read, which needs the port for the site's address.
            IdentityProvider identity = IdentityProvider.in(options.dataDir(), java.time.Clock.systemUTC());
            HttpApiGateway gateway = HttpApiGateway.start(options.port(), routes, new BucketFiles(null, List.of()), json, console, identity,
                    new Outbox(emulators.sesEndpoint(), json));
            resources.add(0, gateway);
            String siteUrl = "http://127.0.0.1:" + gateway.port();

            Map<String, String> parameters = new LinkedHashMap<>(options.parameters());
            parameters.putIfAbsent(SITE_URL_PARAMETER, siteUrl);
            SsmParameters.values(options.template(), options.dataDir()).forEach(parameters::putIfAbsent);
            SamApplication application = SamApplication.load(options.template(), options.prefix(), parameters);

            List<Path> runtimeJars = LambdaLaunch.runtimeJars(options.runtimeDir());
            Path taskRoot = Files.createTempDirectory("lambda-task");
            resources.add(() -> Files.deleteIfExists(taskRoot));
            Map<String, String> emulatorVariables = emulatorVariables(emulators);
            AsyncInvoker invoker = new AsyncInvoker(console);
            List<FunctionPool> pools = new ArrayList<>();
            java.util.concurrent.Semaphore launches = new java.util.concurrent.Semaphore(1);
            List<S3Notifications.Subscription> subscriptions = new ArrayList<>();
            Map<String, FunctionPool> byLogicalId = new LinkedHashMap<>();
            String contentTable = null;
            for (SamApplication.Function function : application.functions()) {
                checkArtifact(function);
                String name = options.prefix() + function.logicalId();
                LambdaLaunch launch = new LambdaLaunch(function.logicalId(), name, function.handler(), function.codeUri(), runtimeJars,
                        Integer.parseInt(function.memory()), LambdaLaunch.environment(function, name, emulatorVariables, taskRoot), taskRoot);
                FunctionPool pool = new FunctionPool(function, launch, options.maxInstances(), options.idleLimit(), console::println, children::record, launches);
                resources.add(0, pool);
                pools.add(pool);
                byLogicalId.put(function.logicalId(), pool);
                for (SamApplication.Route route : function.routes()) {
                    routes.add(route, pool);
                }
                for (SamApplication.S3Trigger trigger : function.s3Triggers()) {
                    subscriptions.add(new S3Notifications.Subscription(application.bucket(trigger.bucketLogicalId()).name(), trigger, pool,
                            function.logicalId() + "-" + trigger.bucketLogicalId()));
                }
                contentTable = contentTable == null ? function.environment().get(CONTENT_TABLE_VARIABLE) : contentTable;
            }
            boolean samples = options.loadSamples() && firstRun;
            if (samples) {
                // The functions that will ingest the samples start now, alongside the tables and buckets;
                // what they print is shown only if loading goes wrong.
                console.hold();
                subscriptions.stream().map(S3Notifications.Subscription::function).distinct().forEach(FunctionPool::prestart);
            }

            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey()));
            DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                    .region(Region.of(SamApplication.REGION)).credentialsProvider(credentials)
                    .endpointOverride(emulators.dynamoDbEndpoint()).build();
            resources.add(0, dynamoDb);
            S3Client s3 = S3Client.builder().httpClient(Apache5HttpClient.create())
                    .region(Region.of(SamApplication.REGION)).credentialsProvider(credentials)
                    .endpointOverride(emulators.s3Endpoint()).forcePathStyle(true).build();
            resources.add(0, s3);
            new LocalResources(dynamoDb, s3).create(application);
            List<BucketFiles.Mount> mounts = new ArrayList<>();
            for (SamApplication.BucketPath path : application.bucketPaths()) {
                mounts.add(new BucketFiles.Mount(path, application.bucket(path.bucketLogicalId()).name()));
            }
            gateway.replaceBucketFiles(new BucketFiles(s3, mounts));

            // Closed before the pools, so that no retry starts an environment while they stop.
            resources.add(0, invoker);
            S3Notifications notifications = new S3Notifications(subscriptions, invoker, json);
            // Scheduled and SNS events are queued and retried as S3 events are.
            EventDelivery delivery = (function, event, source) -> invoker.submit(byLogicalId.get(function), event, source);
            Schedules schedules = new Schedules(application.schedules(), delivery, clock, console);
            resources.add(0, schedules);
            SnsTopics topics = new SnsTopics(application.topics(), application.snsSubscriptions(), delivery, json, clock);
            gateway.serveEvents(new LocalEventRoutes(schedules, topics,
                    new SesMailEvents(application.mailEventDestinations(), topics, json, clock), json));
            resources.add(0, emulators.onObjectCreated(notifications::objectCreated));
            ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "idle-environments");
                thread.setDaemon(true);
                return thread;
            });
            long every = Math.max(1, Math.min(30, options.idleLimit().toSeconds() / 2));
            reaper.scheduleWithFixedDelay(() -> pools.forEach(FunctionPool::stopIdle), every, every, TimeUnit.SECONDS);
            resources.add(0, reaper::shutdownNow);

            SampleContent.Loaded loaded = new SampleContent.Loaded(0, 0, 0);
            boolean load = samples && contentTable != null && !mounts.isEmpty() && isEmpty(dynamoDb, contentTable);
            if (load) {
                loaded = new SampleContent(s3, invoker, console).load(options.samples(), mounts.get(0).bucketName());
            }
            console.release(loaded.rejected() > 0);
            if (load) {
                out.println("Loaded " + loaded.articles() + " sample articles and " + loaded.images() + " images into " + contentTable);
            }
            if (timedSchedules) {
                schedules.start();
            }
            // Closed first: no request may hand an event to an invoker or schedule that is closing.
            resources.remove(gateway);
            resources.add(0, gateway);
            return new LocalRunner(resources, gateway, loaded, pools, children, invoker, identity, IdentityProvider.firstAuthorizer(application).orElse(null),
                    schedules);
        } catch (IOException e) {
            closeAll(resources);
            children.clear();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(resources);
            children.clear();
            throw e;
        }
    }

    public int port() {
        return gateway.port();
    }

    public List<HostedFunction> functions() {
        return pools.stream().map(pool -> new HostedFunction(pool.function().logicalId(), pool.function().handler(),
                pool.function().codeUri(), pool.launch().environment(), pool.function().memory())).toList();
    }

    /** One event, synchronously, through the function with this logical id. */
    FunctionPool.Result invoke(String logicalId, byte[] event) throws InterruptedException {
        FunctionPool function = pools.stream().filter(pool -> pool.function().logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new TemplateException("the template has no function " + logicalId + "; it has "
                        + pools.stream().map(pool -> pool.function().logicalId()).toList()));
        return function.invoke(java.util.UUID.randomUUID().toString(), event);
    }

    /**
     * A token the template's (first) JWT authorizer accepts, signed by this runner's identity
     * provider: what an editor gets from the {@code token} subcommand.
     */
    public String token(String subject, String name, List<String> groups, Duration lifetime) {
        if (authorizer == null) {
            throw new TemplateException("the template declares no JWT authorizer");
        }
        return identity.issue(authorizer, new IdentityProvider.Holder(subject, name, null, groups, lifetime));
    }

    IdentityProvider identity() {
        return identity;
    }

    SamApplication.JwtAuthorizer authorizer() {
        return authorizer;
    }

    /**
     * Waits until every S3 event and SNS message so far, and every schedule due by now, has been
     * delivered (or given up on); false if that took longer than {@code limit}.
     */
    public boolean awaitEvents(Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        return schedules.awaitDue(limit) && invoker.awaitIdle(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
    }

    /** The function JVMs running now, across all functions. */
    public List<ProcessHandle> functionProcesses() {
        return pools.stream().flatMap(pool -> pool.processes().stream()).toList();
    }

    /** Where the runner finds the Lambda runtime interface client: copied beside its own classes by the build. */
    public static Path defaultRuntimeDir() {
        Path fromProject = Arguments.projectRoot().resolve("local").resolve("target").resolve("lambda-runtime");
        try {
            Path beside = Path.of(LocalRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("lambda-runtime");
            // Beside the runner's own jar or classes; a copy in the Maven repository has none, so the project's build is used.
            return Files.isDirectory(beside) ? beside : fromProject;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return fromProject;
        }
    }

    SampleContent.Loaded loaded() {
        return loaded;
    }

    @Override
    public synchronized void close() {
        closeAll(resources);
        resources.clear();
        children.clear();
    }

    /**
     * What points a function's SDK at the emulators: the standard endpoint variables, and the
     * emulators' keys where Lambda would put the execution role's.
     */
    private static Map<String, String> emulatorVariables(Emulators emulators) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_ACCESS_KEY_ID", emulators.credentials().accessKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", emulators.credentials().secretAccessKey());
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoDbEndpoint().toString());
        variables.put("AWS_ENDPOINT_URL_S3", emulators.s3Endpoint().toString());
        variables.put("AWS_ENDPOINT_URL_SESV2", emulators.sesEndpoint().toString());
        return variables;
    }

    /** A missing jar or handler class is a template mistake worth one line at start, not a 500 later. */
    private static void checkArtifact(SamApplication.Function function) {
        String id = function.logicalId();
        if (!Files.isRegularFile(function.codeUri())) {
            throw new TemplateException(id + ": CodeUri " + function.codeUri() + " does not exist; build the functions first (mvn install -DskipTests)");
        }
        String entry = function.handlerClass().replace('.', '/') + ".class";
        try (ZipFile jar = new ZipFile(function.codeUri().toFile())) {
            if (jar.getEntry(entry) == null) {
                throw new TemplateException(id + ": Handler class " + function.handlerClass() + " is not in " + function.codeUri().getFileName());
            }
        } catch (IOException e) {
            throw new TemplateException(id + ": CodeUri " + function.codeUri() + " is not a readable jar: " + e.getMessage());
        }
    }

    private static boolean isEmpty(DynamoDbClient dynamoDb, String table) {
        return dynamoDb.scan(request -> request.tableName(table).limit(1)).items().isEmpty();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // stopping local servers; keep stopping the rest
            }
        }
    }
}
