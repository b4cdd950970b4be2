package com.meridianreview.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Template parameters of type {@code AWS::SSM::Parameter::Value<String>}: CloudFormation reads
 * their values from Parameter Store at deploy time; locally each is a file under the data
 * directory's {@code ssm/}, created with a random value on first use (a fresh one per run when
 * state is kept in memory).
 */
final class SsmParameters {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SsmParameters() {
    }

    static Map<String, String> values(Path template, Path dataDir) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(template) || !(TemplateYaml.read(template).get("Parameters") instanceof Map<?, ?> parameters)) {
            return values;
        }
        for (Map.Entry<?, ?> parameter : parameters.entrySet()) {
            if (parameter.getValue() instanceof Map<?, ?> spec && String.valueOf(spec.get("Type")).startsWith("AWS::SSM::Parameter::Value<")
                    && spec.get("Default") != null) {
                values.put(String.valueOf(parameter.getKey()), value(String.valueOf(spec.get("Default")), dataDir));
            }
        }
        return values;
    }

    private static String value(String name, Path dataDir) {
        if (dataDir == null) {
            return fresh();
        }
        Path file = dataDir.resolve("ssm").resolve(name.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            String value = fresh();
            Files.writeString(file, value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep SSM parameter " + name + " in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String fresh() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
