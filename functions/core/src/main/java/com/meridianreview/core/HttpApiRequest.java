package com.meridianreview.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) request that functions use. Header
 * names are lower case, as API Gateway delivers them.
 */
public record HttpApiRequest(
        String routeKey,
        String method,
        String rawPath,
        String rawQueryString,
        Map<String, String> headers,
        Map<String, String> queryParameters,
        Map<String, String> pathParameters,
        List<String> cookies,
        String body,
        boolean base64Encoded,
        String requestId,
        String sourceIp,
        Map<String, String> claims) {

    public HttpApiRequest {
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
        pathParameters = Map.copyOf(pathParameters);
        cookies = List.copyOf(cookies);
        claims = Map.copyOf(claims);
    }

    /**
     * A claim of the caller's token, as the HTTP API's JWT authorizer verified it. API Gateway
     * hands every claim over as text (a list as "[a b]"); a route without an authorizer has none.
     */
    public Optional<String> claim(String name) {
        return Optional.ofNullable(claims.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }

    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    /** The body as text, decoded from base64 when API Gateway encoded it. */
    public String bodyText() {
        if (body == null) {
            return "";
        }
        return base64Encoded ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }
}
