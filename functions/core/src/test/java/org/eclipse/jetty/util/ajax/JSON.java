package org.eclipse.jetty.util.ajax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only stand-in for Jetty 9's {@code org.eclipse.jetty.util.ajax.JSON}, for the HTML checker's
 * language detector (nu.validator:langdetect), which reads its language profiles with Jetty 9's
 * static {@code JSON.parse}. That class needs Jetty 9's jetty-util, and these tests run the S3
 * emulator on Jetty 12's, which cannot share a class path with it; so render-page's pom excludes
 * Jetty from the checker and this class answers the two calls the detector makes, with the types
 * Jetty 9 gives: objects as {@link HashMap}, arrays as {@code Object[]}, whole numbers as
 * {@link Long}. The tests turn language detection off; the profiles are still loaded once when
 * the checker's classes initialise. Delete this class if the checker stops depending on Jetty.
 */
public final class JSON {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JSON() {
    }

    public static Object parse(String json) {
        try {
            return toJetty(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object parse(InputStream in) throws IOException {
        return toJetty(MAPPER.readTree(in));
    }

    private static Object toJetty(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> object = new HashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.put(field.getKey(), toJetty(field.getValue()));
            }
            return object;
        }
        if (node.isArray()) {
            Object[] array = new Object[node.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = toJetty(node.get(i));
            }
            return array;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }
}
