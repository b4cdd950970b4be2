package com.meridianreview.ingest;

import java.util.List;

/** An article source an editor must fix; each problem is a sentence naming the field. */
public final class InvalidSourceException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidSourceException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
