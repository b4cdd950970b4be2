package com.meridianreview.editor;

import java.util.List;

/**
 * Why a request was not served, as an RFC 9457 problem document: the status, a title, and for
 * bad input every field that was wrong (so an editor fixes them all at once).
 */
record Refusal(int status, String title, String detail, List<FieldError> errors) {

    record FieldError(String field, String message) {
    }

    Refusal {
        errors = List.copyOf(errors);
    }

    static Refusal of(int status, String title, String detail) {
        return new Refusal(status, title, detail, List.of());
    }
}
