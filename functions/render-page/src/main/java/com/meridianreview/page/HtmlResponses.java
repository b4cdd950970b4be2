package com.meridianreview.page;

import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTML responses with deliberate cache headers. Pages are built for the CDN: it keeps them for
 * minutes, may serve a stale copy while it fetches a new one, and serves a stale copy for a day
 * when the origin fails. Errors of ours are never cached.
 */
final class HtmlResponses {

    static final String PAGE_CACHE = "public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400";
    static final String MISSING_CACHE = "public, max-age=60, s-maxage=60";
    /** Crawlers read sitemaps and robots.txt every few minutes at most; the CDN keeps them longer than pages. */
    static final String SITEMAP_CACHE = "public, max-age=300, s-maxage=900, stale-while-revalidate=900, stale-if-error=86400";
    static final String NO_STORE = "no-store";
    /** The one script is the signup box's, from the site itself; the pages read and work without it. */
    private static final String SECURITY_POLICY = "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; "
            + "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * A newsletter issue's page was composed elsewhere, as an email is, with inline styles: it may
     * style itself but never run a script, and it posts no form.
     */
    static final String ISSUE_SECURITY_POLICY = "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private HtmlResponses() {
    }

    /** A 200 page, or a bodiless 304 when the reader's copy is still current. */
    static HttpApiResponse page(HttpApiRequest request, String html) {
        return document(request, html, "text/html; charset=utf-8", PAGE_CACHE);
    }

    /** A feed, sitemap or robots.txt: a page's headers, with its own type and lifetime. */
    static HttpApiResponse document(HttpApiRequest request, String body, String contentType, String cacheControl) {
        return document(request, body, contentType, cacheControl, SECURITY_POLICY);
    }

    /** A past newsletter issue's page, served as stored: cached like any page, under its own policy. */
    static HttpApiResponse issue(HttpApiRequest request, String html) {
        return document(request, html, "text/html; charset=utf-8", PAGE_CACHE, ISSUE_SECURITY_POLICY);
    }

    private static HttpApiResponse document(HttpApiRequest request, String body, String contentType, String cacheControl, String securityPolicy) {
        String etag = etag(body);
        Map<String, String> headers = headers(cacheControl, securityPolicy);
        headers.put("content-type", contentType);
        headers.put("etag", etag);
        if (request.header("if-none-match").map(value -> matches(value, etag)).orElse(false)) {
            headers.remove("content-type");
            return HttpApiResponse.of(304, headers, "");
        }
        return HttpApiResponse.of(200, headers, body);
    }

    static HttpApiResponse status(int status, String html) {
        return HttpApiResponse.of(status, headers(status >= 500 ? NO_STORE : MISSING_CACHE, SECURITY_POLICY), html);
    }

    private static Map<String, String> headers(String cacheControl, String securityPolicy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", cacheControl);
        headers.put("content-security-policy", securityPolicy);
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "strict-origin-when-cross-origin");
        return headers;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
