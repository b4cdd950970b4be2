package com.meridianreview.editor;

/**
 * An upload the function has agreed to sign: where the file will land (a key the server made) and
 * the exact type and length the store will accept for it.
 */
record UploadPlan(Kind kind, String key, String contentType, long size) {

    enum Kind {
        ARTICLE, IMAGE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
