package com.meridianreview.core;

import com.fasterxml.jackson.core.JsonFactory;
import java.util.List;

/**
 * Why a request was not served, as an RFC 9457 problem document: the status, a title, and for
 * bad input every field that was wrong (so that a caller fixes them all at once).
 */
public record Problem(int status, String title, String detail, List<FieldError> errors) {

    public record FieldError(String field, String message) {
    }

    public Problem {
        errors = List.copyOf(errors);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, List.of());
    }

    /** The {@code application/problem+json} body. */
    public String json(JsonFactory json) {
        return JsonText.write(json, out -> {
            out.writeStartObject();
            out.writeStringField("type", "about:blank");
            out.writeStringField("title", title);
            out.writeNumberField("status", status);
            out.writeStringField("detail", detail);
            if (!errors.isEmpty()) {
                out.writeArrayFieldStart("errors");
                for (FieldError error : errors) {
                    out.writeStartObject();
                    out.writeStringField("field", error.field());
                    out.writeStringField("message", error.message());
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        });
    }
}
