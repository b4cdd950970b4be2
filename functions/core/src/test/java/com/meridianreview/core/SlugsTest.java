package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void namesBecomeReadableAsciiSlugs() {
        assertEquals("tomas-ibarra", Slugs.of("Tomás Ibarra"));
        assertEquals("diplomacy-watch", Slugs.of("  Diplomacy Watch "));
        assertEquals("farid-al-nassar", Slugs.of("Farid Al-Nassar"));
        assertEquals("back-channel-diplomacy", Slugs.of("Back-Channel   Diplomacy!"));
        assertEquals("", Slugs.of("—"));
    }

    @Test
    void onlyWellFormedSlugsAreValid() {
        assertTrue(Slugs.isValid("quiet-channels-2"));
        assertFalse(Slugs.isValid("Quiet"));
        assertFalse(Slugs.isValid("a--b"));
        assertFalse(Slugs.isValid("-a"));
        assertFalse(Slugs.isValid("a/b"));
        assertFalse(Slugs.isValid(""));
        assertFalse(Slugs.isValid("a".repeat(121)));
    }
}
