package com.meridianreview.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** HTTP API payload-format-2.0 events as API Gateway sends them for the template's routes. */
final class HttpApiEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpApiEvents() {
    }

    static byte[] get(String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query, Map<String, String> headers) {
        return request("GET", routeKey, path, pathParameters, query, headers);
    }

    static byte[] request(String method, String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query,
            Map<String, String> headers) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        StringBuilder rawQuery = new StringBuilder();
        query.forEach((k, v) -> rawQuery.append(rawQuery.length() == 0 ? "" : "&").append(k).append('=').append(v));
        event.put("rawQueryString", rawQuery.toString());
        ObjectNode headerNode = event.putObject("headers");
        headerNode.put("accept", "text/html");
        headerNode.put("host", "abc123.execute-api.us-east-1.amazonaws.com");
        headers.forEach(headerNode::put);
        if (!query.isEmpty()) {
            ObjectNode q = event.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode p = event.putObject("pathParameters");
            pathParameters.forEach(p::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "abc123");
        context.put("requestId", "req-" + System.nanoTime());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "198.51.100.7");
        event.put("isBase64Encoded", false);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
