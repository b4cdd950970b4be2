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
        write("INFO", requestId, message, fields, null);
    }

    public void warn(String requestId, String message, Map<String, ?> fields) {
        write("WARN", requestId, message, fields, null);
    }

    public void error(String requestId, String message, Map<String, ?> fields, Throwable error) {
        write("ERROR", requestId, message, fields, error);
    }

    private void write(String level, String requestId, String message, Map<String, ?> fields, Throwable error) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", clock.instant().toString());
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
