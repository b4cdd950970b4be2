package com.meridianreview.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP API events and writes responses with Jackson's streaming parser and generator only:
 * no data binding, so the functions need neither jackson-databind nor its start-up cost.
 */
public final class HttpApiCodec {

    private final JsonFactory json;

    public HttpApiCodec(JsonFactory json) {
        this.json = json;
    }

    public HttpApiRequest read(InputStream event) throws IOException {
        try (JsonParser parser = json.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("event is not a JSON object");
            }
            Event e = new Event();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "routeKey" -> e.routeKey = text(parser, e.routeKey);
                    case "rawPath" -> e.rawPath = text(parser, e.rawPath);
                    case "rawQueryString" -> e.rawQueryString = text(parser, e.rawQueryString);
                    case "body" -> e.body = value == JsonToken.VALUE_NULL ? null : text(parser, null);
                    case "isBase64Encoded" -> e.base64Encoded = value == JsonToken.VALUE_TRUE;
                    case "headers" -> strings(parser, e.headers, true);
                    case "queryStringParameters" -> strings(parser, e.query, false);
                    case "pathParameters" -> strings(parser, e.pathParameters, false);
                    case "cookies" -> cookies(parser, e.cookies);
                    case "requestContext" -> requestContext(parser, e);
                    default -> parser.skipChildren();
                }
            }
            return new HttpApiRequest(e.routeKey, e.method, e.rawPath, e.rawQueryString, e.headers, e.query, e.pathParameters,
                    e.cookies, e.body, e.base64Encoded, e.requestId, e.sourceIp, e.claims);
        }
    }

    public void write(HttpApiResponse response, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.createGenerator(out)) {
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

    /** The fields being collected while the event streams past. */
    private static final class Event {
        String routeKey = "$default";
        String method = "GET";
        String rawPath = "/";
        String rawQueryString = "";
        String body;
        boolean base64Encoded;
        String requestId = "";
        String sourceIp = "";
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> query = new HashMap<>();
        final Map<String, String> pathParameters = new HashMap<>();
        final List<String> cookies = new ArrayList<>();
        final Map<String, String> claims = new HashMap<>();
    }

    private static void requestContext(JsonParser parser, Event e) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("requestId")) {
                e.requestId = text(parser, e.requestId);
            } else if (field.equals("authorizer") && parser.currentToken() == JsonToken.START_OBJECT) {
                authorizer(parser, e);
            } else if (field.equals("http") && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    switch (name) {
                        case "method" -> e.method = text(parser, e.method);
                        case "sourceIp" -> e.sourceIp = text(parser, e.sourceIp);
                        default -> parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** {"jwt": {"claims": {...}, "scopes": [...]}}: the claims a JWT authorizer verified. */
    private static void authorizer(JsonParser parser, Event e) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("jwt") && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (name.equals("claims")) {
                        strings(parser, e.claims, false);
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void strings(JsonParser parser, Map<String, String> into, boolean lowerCaseNames) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            String value = text(parser, null);
            if (value != null) {
                into.put(lowerCaseNames ? name.toLowerCase(Locale.ROOT) : name, value);
            }
        }
    }

    private static void cookies(JsonParser parser, List<String> into) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String cookie = text(parser, null);
            if (cookie != null) {
                into.add(cookie);
            }
        }
    }

    /** A scalar as text; a nested value where text was expected is skipped and gives the fallback. */
    private static String text(JsonParser parser, String fallback) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
            return fallback;
        }
        return token == JsonToken.VALUE_NULL ? fallback : parser.getValueAsString(fallback);
    }
}
