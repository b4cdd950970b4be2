package com.meridianreview.editor;

import com.meridianreview.core.HttpApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The editor page: one HTML page, a stylesheet and a script, served by this function so that they
 * reach editors through the CDN with the site (a deploy uploads no files to a bucket). The
 * stylesheet and script are addressed by a hash of their content, so they can be cached for a
 * year and a new deploy is seen at once; the page itself is cached briefly.
 */
final class EditorPage {

    /** Always asked for again: a page of an earlier deploy would name stylesheet and script hashes this one no longer serves. */
    private static final String PAGE_CACHE = "no-cache";
    private static final String ASSET_CACHE = "public, max-age=31536000, immutable";

    private record Asset(String body, String contentType) {
    }

    private final String html;
    private final String contentSecurityPolicy;
    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * {@code signInUrl} is the hosted sign-in's base address (Cognito's domain) and {@code clientId}
     * the app client; with either empty the page offers only a pasted token. {@code storeOrigin} is
     * where upload URLs point: with the sign-in's origin, the only other place the page may send to.
     */
    EditorPage(String signInUrl, String clientId, String storeOrigin, long articleMaxBytes, long imageMaxBytes) {
        String page = resource("index.html");
        for (String name : new String[] {"editor.css", "editor.js"}) {
            String body = resource(name);
            int dot = name.lastIndexOf('.');
            String hashed = name.substring(0, dot) + "." + hash(body) + name.substring(dot);
            assets.put(hashed, new Asset(body, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"));
            page = page.replace("/editor/" + name, "/editor/" + hashed);
        }
        boolean hosted = !signInUrl.isBlank() && !clientId.isBlank();
        String base = signInUrl.replaceAll("/+$", "");
        page = meta(page, "editor-auth-url", hosted ? base + "/oauth2/authorize" : "");
        page = meta(page, "editor-token-url", hosted ? base + "/oauth2/token" : "");
        page = meta(page, "editor-client-id", hosted ? clientId : "");
        page = meta(page, "editor-article-max-bytes", Long.toString(articleMaxBytes));
        html = meta(page, "editor-image-max-bytes", Long.toString(imageMaxBytes));
        contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' "
                + storeOrigin + (hosted ? " " + base : "") + "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** The answer for /editor or /editor/{asset}; a 404 for an asset of another deploy or none. */
    HttpApiResponse respond(String asset) {
        if (asset == null || asset.isEmpty()) {
            return HttpApiResponse.of(200, headers("text/html; charset=utf-8", PAGE_CACHE), html);
        }
        Asset found = assets.get(asset);
        if (found == null) {
            return HttpApiResponse.of(404, headers("text/plain; charset=utf-8", "public, max-age=60"), "Not found");
        }
        return HttpApiResponse.of(200, headers(found.contentType(), ASSET_CACHE), found.body());
    }

    private Map<String, String> headers(String contentType, String cache) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("cache-control", cache);
        headers.put("content-security-policy", contentSecurityPolicy);
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "no-referrer");
        // Editors' pages are no business of search engines.
        headers.put("x-robots-tag", "noindex");
        return headers;
    }

    private static String meta(String page, String name, String value) {
        String empty = "<meta name=\"" + name + "\" content=\"\">";
        if (!page.contains(empty)) {
            throw new IllegalStateException("the editor page has no " + empty);
        }
        return page.replace(empty, "<meta name=\"" + name + "\" content=\"" + escape(value) + "\">");
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(String name) {
        try (InputStream in = EditorPage.class.getResourceAsStream("/editor/" + name)) {
            if (in == null) {
                throw new IllegalStateException("editor/" + name + " is missing from the function's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
