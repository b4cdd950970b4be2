package com.meridianreview.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.ContentStore;
import com.meridianreview.emulators.EmulatorException;
import com.meridianreview.emulators.Emulators;
import com.meridianreview.ingest.ArticleSource;
import com.meridianreview.ingest.ContentIngest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * "sam local start-api" without Docker: serves the functions of infra/template.yaml on
 * 127.0.0.1 against Dynoxide and S3Proxy, with the tables, buckets, routes and environment
 * variables the template declares.
 */
public final class LocalRunner implements AutoCloseable {

    /** The template parameter that holds the site's public address; locally, the runner's own. */
    static final String SITE_URL_PARAMETER = "SiteUrl";
    static final String CONTENT_TABLE_VARIABLE = "CONTENT_TABLE";

    /** How to start: the port (0 for any free one), where state lives (null: memory), and what to serve. */
    public record Options(int port, Path dataDir, boolean loadSamples, Path template, Path samples, String prefix) {
    }

    /** A function as the runner hosts it: what the template names and the environment it was given. */
    public record HostedFunction(String logicalId, String handler, Path codeUri, Map<String, String> environment, String memory) {
    }

    private final List<AutoCloseable> resources;
    private final HttpApiGateway gateway;
    private final SampleContent.Loaded loaded;
    private final List<HostedFunction> functions;

    private LocalRunner(List<AutoCloseable> resources, HttpApiGateway gateway, SampleContent.Loaded loaded, List<HostedFunction> functions) {
        this.resources = resources;
        this.gateway = gateway;
        this.loaded = loaded;
        this.functions = List.copyOf(functions);
    }

    public static void main(String[] args) {
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
            runner = start(options, null, System.out);
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

    /**
     * Starts everything. With {@code emulators} null the runner starts its own and stops them on
     * close; otherwise it uses those given (tests share one pair per JVM).
     */
    public static LocalRunner start(Options options, Emulators emulators, PrintStream out) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            if (emulators == null) {
                if (options.dataDir() != null) {
                    Files.createDirectories(options.dataDir());
                }
                emulators = Emulators.start(options.dataDir());
                resources.add(emulators);
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

            RouteTable routes = new RouteTable();
            List<BucketFiles.Mount> mounts = new ArrayList<>();
            HttpApiGateway gateway = HttpApiGateway.start(options.port(), routes, new BucketFiles(s3, mounts), new ObjectMapper());
            resources.add(0, gateway);
            String siteUrl = "http://127.0.0.1:" + gateway.port();

            SamApplication application = SamApplication.load(options.template(), options.prefix(), Map.of(SITE_URL_PARAMETER, siteUrl));
            new LocalResources(dynamoDb, s3).create(application);
            for (SamApplication.BucketPath path : application.bucketPaths()) {
                mounts.add(new BucketFiles.Mount(path, application.bucket(path.bucketLogicalId()).name()));
            }
            BucketFiles files = new BucketFiles(s3, mounts);
            gateway.replaceBucketFiles(files);

            String contentTable = null;
            List<HostedFunction> hosted = new ArrayList<>();
            for (SamApplication.Function function : application.functions()) {
                Map<String, String> environment = functionEnvironment(function, options.prefix(), emulators);
                hosted.add(new HostedFunction(function.logicalId(), function.handler(), function.codeUri(), Map.copyOf(environment), function.memory()));
                FunctionHost host = FunctionHost.load(function, options.prefix() + function.logicalId(), environment);
                resources.add(0, host);
                for (SamApplication.Route route : function.routes()) {
                    routes.add(route, host);
                }
                contentTable = contentTable == null ? function.environment().get(CONTENT_TABLE_VARIABLE) : contentTable;
            }

            SampleContent.Loaded loaded = new SampleContent.Loaded(0, 0, 0);
            if (options.loadSamples() && contentTable != null && !mounts.isEmpty() && isEmpty(dynamoDb, contentTable)) {
                String table = contentTable;
                ContentIngest ingest = new ContentIngest(new ArticleSource(), new ContentStore(dynamoDb, table));
                loaded = new SampleContent(s3, ingest, out).load(options.samples(), mounts.get(0).bucketName());
                out.println("Loaded " + loaded.articles() + " sample articles and " + loaded.images() + " images into " + table);
            }
            return new LocalRunner(resources, gateway, loaded, hosted);
        } catch (IOException e) {
            closeAll(resources);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    public int port() {
        return gateway.port();
    }

    public List<HostedFunction> functions() {
        return functions;
    }

    SampleContent.Loaded loaded() {
        return loaded;
    }

    @Override
    public void close() {
        closeAll(resources);
        resources.clear();
    }

    private static Map<String, String> functionEnvironment(SamApplication.Function function, String prefix, Emulators emulators) {
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        environment.put("AWS_REGION", SamApplication.REGION);
        environment.put("AWS_DEFAULT_REGION", SamApplication.REGION);
        environment.put("AWS_ACCESS_KEY_ID", emulators.credentials().accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", emulators.credentials().secretAccessKey());
        environment.put(AwsClients.DYNAMODB_ENDPOINT, emulators.dynamoDbEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_S3", emulators.s3Endpoint().toString());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", prefix + function.logicalId());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", function.memory());
        return environment;
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
