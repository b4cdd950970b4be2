package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The image, landmark and contrast checks find the faults they are there for. */
class PageChecksTest {

    private static final String FAULTY = """
            <!DOCTYPE html>
            <html lang="en"><head><title>t</title></head>
            <body>
            <header class="masthead"><a class="brand" href="/">M</a></header>
            <div id="main">
            <article class="lead"><img src="/images/quiet-channels.jpg" alt="A map" width="1600" height="900" loading="lazy"></article>
            <ul class="teasers"><li><img src="/images/elsewhere.jpg" srcset="/images/elsewhere-320w-a.jpg 320w, /images/elsewhere.jpg 800w" sizes="6rem" width="800" loading="lazy"></li></ul>
            </div>
            <footer></footer>
            </body></html>
            """;

    @Test
    void imagesWithoutSizeOrAltAMainPictureLoadedLazilyAndAFullSizeThumbnailAreReported() {
        assertEquals(List.of(
                "/images/quiet-channels.jpg: renditions not offered with srcset and sizes",
                "/images/quiet-channels.jpg: the page's main picture loads first, not lazily",
                "/images/elsewhere.jpg: no height",
                "/images/elsewhere.jpg: no alt",
                "/images/elsewhere.jpg: a teaser shows the smallest rendition, not /images/elsewhere.jpg"), PageChecks.imageProblems(FAULTY));
    }

    @Test
    void aPageWithoutNavigationOrMainOrASkipLinkIsReported() {
        List<String> found = PageChecks.landmarkProblems(FAULTY);
        assertEquals(true, found.contains("0 × body > header nav, expected 1"), found.toString());
        assertEquals(true, found.contains("0 × main, expected 1"), found.toString());
        assertEquals(true, found.contains("landmarks in the order [header, footer]"), found.toString());
        assertEquals(true, found.contains("the first thing a keyboard reaches is not the link to the main content"), found.toString());
    }

    @Test
    void greyTextOnWhiteBelowFourAndAHalfToOneIsReported() {
        assertEquals(List.of(".faint: #999 on #fff is 2.85:1", ".button: #fff on #e0e0e0 is 1.32:1"), PageChecks.contrastProblems(
                ":root{--light:#e0e0e0;--ink:#1a1a1a}body{color:var(--ink)}.faint{color:#999}.button{background:var(--light);color:#fff}"));
        assertEquals(21.0, PageChecks.contrast("#000", "#fff"), 0.01);
    }
}
