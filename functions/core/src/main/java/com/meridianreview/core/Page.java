package com.meridianreview.core;

import java.util.List;

/** One page of a list, newest first, with the cursor of the next (older) page or null at the end. */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
