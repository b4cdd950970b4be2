package com.meridianreview.digest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Events as plain maps, lists and strings, read with the streaming parser the functions already
 * carry (no object mapper to load at start-up). Numbers and booleans are kept as their text.
 */
final class JsonValues {

    static final int MAX_DEPTH = 32;

    private JsonValues() {
    }

    static Object read(JsonFactory json, byte[] document) throws IOException {
        try (JsonParser parser = json.createParser(document)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("an empty document");
            }
            Object value = value(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new IOException("more than one value");
            }
            return value;
        }
    }

    private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nested too deeply");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, value(parser, parser.nextToken(), depth + 1));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(value(parser, next, depth + 1));
                }
                return list;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return parser.getText();
            }
        }
    }

    /** The value at a path of field names, when every step is an object holding the next. */
    static Optional<Object> at(Object root, String... path) {
        Object current = root;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(step)) {
                return Optional.empty();
            }
            current = map.get(step);
        }
        return Optional.ofNullable(current);
    }

    static Optional<String> text(Object root, String... path) {
        return at(root, path).filter(String.class::isInstance).map(String.class::cast);
    }

    static List<?> list(Object root, String... path) {
        return at(root, path).filter(List.class::isInstance).map(value -> (List<?>) value).orElse(List.of());
    }
}
