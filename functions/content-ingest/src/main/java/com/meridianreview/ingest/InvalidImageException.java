package com.meridianreview.ingest;

import java.util.List;

/**
 * An uploaded image that cannot be published; each problem is a sentence an editor can act on
 * (what the file is or what is wrong with it, and what to upload instead).
 */
public final class InvalidImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidImageException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid image needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InvalidImageException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
