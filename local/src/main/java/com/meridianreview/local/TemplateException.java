package com.meridianreview.local;

/** The template cannot be served as written; the message says where, in one line. */
final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateException(String message) {
        super(message);
    }
}
