package com.meridianreview.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A payload format 2.0 response: API Gateway turns it into the HTTP response a reader gets. */
public record HttpApiResponse(int statusCode, Map<String, String> headers, List<String> cookies, String body, boolean base64Encoded) {

    public HttpApiResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        cookies = List.copyOf(cookies);
    }

    public static HttpApiResponse of(int statusCode, Map<String, String> headers, String body) {
        return new HttpApiResponse(statusCode, headers, List.of(), body, false);
    }

    /**
     * The headers of an answer for one caller at one moment (an API's JSON, a problem, an editor's
     * preview): never kept by the CDN or a browser, never sniffed as another type. Mutable, for the
     * caller to add to.
     */
    public static Map<String, String> privateHeaders(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("cache-control", "no-store");
        headers.put("x-content-type-options", "nosniff");
        return headers;
    }
}
