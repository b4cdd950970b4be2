package com.meridianreview.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/**
 * One JSON object per line, with the request id, so that CloudWatch Logs Insights can answer
 * "what failed for whom". Never give it an email address or other personal data.
 */
public final class JsonLog {

    private final PrintStream out;
    private final JsonFactory factory;
    private final Clock clock;

    public JsonLog(PrintStream out, JsonFactory factory, Clock clock) {
        this.out = out;
        this.factory = factory;
        this.clock = clock;
    }

    public void info(String requestId, String message, Map<String, ?> fields) {
        write("INFO", requestId, message, fields, null, null);
    }

    /**
     * An info line that is also a CloudWatch Embedded Metric Format record: CloudWatch turns the
     * named numeric fields into metrics, by the named text fields, with no API call and no agent.
     */
    public void infoWithMetrics(String requestId, String message, Map<String, ?> fields, Metrics metrics) {
        write("INFO", requestId, message, fields, null, metrics);
    }

    /** Which fields of a line are metrics (name to CloudWatch unit) and which are their dimensions. */
    public record Metrics(String namespace, java.util.List<String> dimensions, Map<String, String> units) {
    }

    public void warn(String requestId, String message, Map<String, ?> fields) {
        write("WARN", requestId, message, fields, null, null);
    }

    public void error(String requestId, String message, Map<String, ?> fields, Throwable error) {
        write("ERROR", requestId, message, fields, error, null);
    }

    private void write(String level, String requestId, String message, Map<String, ?> fields, Throwable error, Metrics metrics) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(line)) {
            json.writeStartObject();
            java.time.Instant now = clock.instant();
            json.writeStringField("timestamp", now.toString());
            if (metrics != null) {
                json.writeObjectFieldStart("_aws");
                json.writeNumberField("Timestamp", now.toEpochMilli());
                json.writeArrayFieldStart("CloudWatchMetrics");
                json.writeStartObject();
                json.writeStringField("Namespace", metrics.namespace());
                json.writeArrayFieldStart("Dimensions");
                json.writeStartArray();
                for (String dimension : metrics.dimensions()) {
                    json.writeString(dimension);
                }
                json.writeEndArray();
                json.writeEndArray();
                json.writeArrayFieldStart("Metrics");
                for (Map.Entry<String, String> metric : metrics.units().entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("Name", metric.getKey());
                    json.writeStringField("Unit", metric.getValue());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeStringField("level", level);
            json.writeStringField("requestId", requestId);
            json.writeStringField("message", message);
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                Object value = field.getValue();
                if (value instanceof Integer || value instanceof Long) {
                    json.writeNumberField(field.getKey(), ((Number) value).longValue());
                } else if (value instanceof Number number) {
                    json.writeNumberField(field.getKey(), number.doubleValue());
                } else {
                    json.writeStringField(field.getKey(), String.valueOf(value));
                }
            }
            if (error != null) {
                json.writeStringField("errorType", error.getClass().getName());
                json.writeStringField("errorMessage", String.valueOf(error.getMessage()));
                StackTraceElement[] trace = error.getStackTrace();
                if (trace.length > 0) {
                    json.writeStringField("errorAt", trace[0].toString());
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println(line);
    }
}
