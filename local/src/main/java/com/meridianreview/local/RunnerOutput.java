package com.meridianreview.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner's console: function logs and its own lines. While sample content loads, lines are
 * held back and shown only if something went wrong, so a normal start stays a few lines long.
 */
final class RunnerOutput {

    private final PrintStream out;
    private List<String> held;

    RunnerOutput(PrintStream out) {
        this.out = out;
    }

    synchronized void println(String line) {
        if (held != null) {
            held.add(line);
        } else {
            out.println(line);
        }
    }

    synchronized void hold() {
        held = new ArrayList<>();
    }

    /** Stops holding; prints what was held when {@code show} is true, drops it otherwise. */
    synchronized void release(boolean show) {
        List<String> lines = held;
        held = null;
        if (show && lines != null) {
            lines.forEach(out::println);
        }
    }
}
