package com.meridianreview.core;

import java.util.Map;
import java.util.Optional;

/**
 * A function's settings, read from its environment as the template sets it. Lambda passes
 * {@code System.getenv()}; the local runner passes the template's variables.
 */
public final class Config {

    private final Map<String, String> env;

    public Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    public String required(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String get(String name, String fallback) {
        return optional(name).orElse(fallback);
    }
}
