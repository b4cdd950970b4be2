package com.meridianreview.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP API events and writes responses with Jackson's tree and streaming APIs: no data
 * binding, so no reflection on the cold-start path.
 */
public final class HttpApiCodec {

    private final ObjectMapper json;

    public HttpApiCodec(ObjectMapper json) {
        this.json = json;
    }

    public HttpApiRequest read(InputStream event) throws IOException {
        JsonNode root = json.readTree(event);
        if (root == null || !root.isObject()) {
            throw new IOException("event is not a JSON object");
        }
        JsonNode context = root.path("requestContext");
        JsonNode http = context.path("http");
        Map<String, String> headers = new HashMap<>();
        root.path("headers").properties().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        List<String> cookies = new ArrayList<>();
        root.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
        return new HttpApiRequest(
                root.path("routeKey").asText("$default"),
                http.path("method").asText("GET"),
                root.path("rawPath").asText("/"),
                root.path("rawQueryString").asText(""),
                headers,
                strings(root.path("queryStringParameters")),
                strings(root.path("pathParameters")),
                cookies,
                root.hasNonNull("body") ? root.get("body").asText() : null,
                root.path("isBase64Encoded").asBoolean(false),
                context.path("requestId").asText(""),
                http.path("sourceIp").asText(""));
    }

    public void write(HttpApiResponse response, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeNumberField("statusCode", response.statusCode());
            generator.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                generator.writeStringField(header.getKey(), header.getValue());
            }
            generator.writeEndObject();
            if (!response.cookies().isEmpty()) {
                generator.writeArrayFieldStart("cookies");
                for (String cookie : response.cookies()) {
                    generator.writeString(cookie);
                }
                generator.writeEndArray();
            }
            generator.writeStringField("body", response.body() == null ? "" : response.body());
            generator.writeBooleanField("isBase64Encoded", response.base64Encoded());
            generator.writeEndObject();
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }
}
