package com.meridianreview.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A small JSON answer written with Jackson's generator alone (no data binding, so no start-up cost for it). */
public final class JsonText {

    /** What goes into the document. */
    public interface Writing {
        void write(JsonGenerator out) throws IOException;
    }

    private JsonText() {
    }

    public static String write(JsonFactory json, Writing writing) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = json.createGenerator(text)) {
            writing.write(out);
        } catch (IOException e) {
            // a StringWriter does not fail; only a bug in writing can get here
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
