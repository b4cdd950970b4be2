package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The page check finds the faults it is there for, and excuses only what it names. */
class Html5CheckTest {

    private static final String FAULTY = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Front page</title>
            <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
            </head>
            <body>
            <h1>Front page</h1>
            <ul class="teasers" aria-label="Stories">
            <li><h3>A story</h3><img src="/images/a.jpg" width="1200" height="675" fetchpriority="high"></li>
            </ul>
            </body>
            </html>
            """;

    @Test
    void theValidatorReportsARawSpaceInAUrlAndAnImageWithoutAlt() throws Exception {
        List<String> found = Html5Check.validatorMessages(FAULTY);

        assertEquals(2, found.size(), found.toString());
        assertEquals(true, found.get(0).startsWith("error at line 6: Bad value ") && found.get(0).contains("space is not allowed"), found.get(0));
        assertEquals(true, found.get(1).startsWith("error at line 11: An “img” element must have an “alt” attribute"), found.get(1));
    }

    @Test
    void theOutlineCheckReportsASkippedLevelAndAMissingH1() {
        assertEquals(List.of("<h3> \"A story\" follows <h1>: a heading level is skipped"), Html5Check.headingOutline(FAULTY));
        assertEquals(List.of("<h2> \"Alone\" follows no heading: a heading level is skipped", "0 h1 elements; a page has exactly one"),
                Html5Check.headingOutline("<!DOCTYPE html><title>t</title><h2>Alone</h2>"));
    }

    @Test
    void aValidPageHasNothingToReport() throws Exception {
        String valid = FAULTY.replace(" xmlns=", "%20xmlns=").replace("<h3>A story</h3>", "<h2>A story</h2>")
                .replace("<img src", "<img alt=\"\" src");
        assertEquals(List.of(), Html5Check.validatorMessages(valid));
        assertEquals(List.of(), Html5Check.headingOutline(valid));
    }
}
