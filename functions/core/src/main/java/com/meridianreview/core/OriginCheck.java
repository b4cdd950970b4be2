package com.meridianreview.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Readers and editors reach the functions through the CDN, which adds a secret header to every origin request;
 * a request to the HTTP API's own address lacks it and is refused, so the cache cannot be
 * bypassed and the site is not served twice under two addresses. More than one secret may be
 * accepted at once, so that a new one can be rolled out before the old one is dropped. With no
 * secret configured (the local runner, a stack without the parameter) every request passes.
 */
public final class OriginCheck {

    public static final String HEADER = "x-origin-verify";

    private final List<byte[]> secrets;

    public OriginCheck(String configured) {
        this.secrets = configured == null ? List.of() : Arrays.stream(configured.split(","))
                .map(String::trim).filter(secret -> !secret.isEmpty())
                .map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether a secret is configured, so that only the CDN's requests get through (and its headers can be trusted). */
    public boolean enabled() {
        return !secrets.isEmpty();
    }

    public boolean admits(HttpApiRequest request) {
        if (secrets.isEmpty()) {
            return true;
        }
        byte[] presented = request.header(HEADER).orElse("").getBytes(StandardCharsets.UTF_8);
        boolean admitted = false;
        for (byte[] secret : secrets) {
            // Compared in constant time, and against every secret, so timing tells nothing.
            admitted |= MessageDigest.isEqual(secret, presented);
        }
        return admitted;
    }
}
