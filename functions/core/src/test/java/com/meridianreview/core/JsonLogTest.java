package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8), new ObjectMapper().getFactory(),
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void eachLineIsOneJsonObjectWithTheRequestId() throws Exception {
        log.info("req-1", "page served", Map.of("status", 200, "path", "/articles/x"));
        log.error("req-2", "page failed", Map.of(), new IllegalStateException("table gone\nsecond line"));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), "one line per entry, whatever the messages hold");
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("req-1", first.get("requestId").asText());
        assertEquals(200, first.get("status").asInt());
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertEquals("java.lang.IllegalStateException", second.get("errorType").asText());
        assertFalse(second.has("_aws"), "plain lines are not metrics");
    }

    @Test
    void metricLinesFollowTheEmbeddedMetricFormat() throws Exception {
        log.infoWithMetrics("req-3", "page served", Map.of("route", "GET /", "durationMs", 12, "serverError", 0),
                new JsonLog.Metrics("MeridianReview/Pages", List.of("route"), Map.of("durationMs", "Milliseconds", "serverError", "Count")));
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));

        JsonNode aws = line.get("_aws");
        assertEquals(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli(), aws.get("Timestamp").asLong());
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertEquals("MeridianReview/Pages", directive.get("Namespace").asText());
        assertEquals("[[\"route\"]]", directive.get("Dimensions").toString(), "a list of dimension sets");
        assertEquals("GET /", line.get("route").asText(), "each dimension is a text field of the line");
        assertEquals(2, directive.get("Metrics").size());
        for (JsonNode metric : directive.get("Metrics")) {
            assertTrue(line.get(metric.get("Name").asText()).isNumber(), "each metric is a number field of the line");
            assertTrue(List.of("Milliseconds", "Count").contains(metric.get("Unit").asText()), "a CloudWatch unit");
        }
    }
}
