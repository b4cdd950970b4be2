package com.meridianreview.emulators;

/** The emulators plus a name prefix that belongs to one test class alone. */
public record TestResources(Emulators emulators, String prefix) {

    public String name(String logicalName) {
        return prefix + logicalName;
    }
}
