package com.meridianreview.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How Lambda's Java runtime starts a function's JVM, reproduced: the Runtime Interface Client as
 * the entry point with the template's handler, the function's jar, the heap and other limits the
 * managed runtime derives from {@code MemorySize}, and an environment made of exactly the
 * template's variables plus the ones Lambda itself sets.
 */
record LambdaLaunch(String logicalId, String functionName, String handler, Path codeUri, List<Path> runtimeJars,
                    int memoryMb, Map<String, String> environment, Path taskRoot) {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's limit on a synchronous response. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /**
     * The managed java21 runtime's JVM flags: the serial collector, class data sharing, and heap,
     * metaspace and code cache as shares of the function's memory. JAVA_TOOL_OPTIONS from the
     * template comes on top, read by the JVM itself from the environment.
     */
    List<String> jvmFlags() {
        long kb = memoryMb * 1024L;
        return List.of(
                "-XX:MaxHeapSize=" + (kb * 85 / 100) + "k",
                "-XX:MaxMetaspaceSize=" + (kb * 10 / 100) + "k",
                "-XX:ReservedCodeCacheSize=" + Math.max(kb * 5 / 100, 2496) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true");
    }

    String functionArn() {
        return "arn:aws:lambda:" + SamApplication.REGION + ":" + SamApplication.ACCOUNT + ":function:" + functionName;
    }

    ProcessBuilder processBuilder(String runtimeApi) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        List<String> classpath = new ArrayList<>();
        classpath.add(codeUri.toString());
        runtimeJars.forEach(jar -> classpath.add(jar.toString()));
        command.add(String.join(File.pathSeparator, classpath));
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(taskRoot.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        return builder;
    }

    /**
     * The variables a function sees on Lambda: the template's, then the ones the service sets
     * (which a template cannot override), then what points the SDK at the emulators.
     */
    static Map<String, String> environment(SamApplication.Function function, String functionName, Map<String, String> emulatorVariables, Path taskRoot) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        env.put("AWS_REGION", SamApplication.REGION);
        env.put("AWS_DEFAULT_REGION", SamApplication.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", function.memory());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + functionName);
        if (function.logFormat() != null) {
            env.put("AWS_LAMBDA_LOG_FORMAT", function.logFormat());
        }
        env.putAll(emulatorVariables);
        return Map.copyOf(env);
    }

    /** The Runtime Interface Client and what it needs, copied next to the runner by the build. */
    static List<Path> runtimeJars(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new TemplateException("the Lambda runtime interface client is not at " + directory + "; build the project first (mvn install -DskipTests)");
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new TemplateException("no jars in " + directory + "; build the project first (mvn install -DskipTests)");
            }
            return jars;
        } catch (IOException e) {
            throw new TemplateException("cannot read " + directory + ": " + e.getMessage());
        }
    }
}
