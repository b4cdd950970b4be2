package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a reader does in a real browser: read an article on a phone-sized screen and follow a tag. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    private static final String ARTICLE = "/articles/quiet-channels-reopen-between-gulf-rivals";
    private LocalRunner runner;
    private WebDriver browser;

    @BeforeAll
    void start(TestResources resources) throws Exception {
        String unavailable = WebDriver.unavailableReason();
        if (unavailable != null) {
            // Surefire keeps test output in report files; the build log is what a person reads.
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8).println("[SKIPPED] BrowserTest: " + unavailable);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null, unavailable);
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(java.io.OutputStream.nullOutputStream()));
        browser = WebDriver.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void anArticleReadsWellOnAPhoneWithoutScriptsOrErrors() throws Exception {
        browser.resize(390, 844);
        browser.open(url(ARTICLE));

        assertEquals("Quiet Channels Reopen Between Gulf Rivals | The Meridian Review", browser.script("return document.title").asText());
        assertTrue(waitFor("const i = document.querySelector('.top-image img'); return i.complete && i.naturalWidth > 0"),
                "the top image loads from the image bucket through the CDN path");
        assertEquals(0, browser.script("return document.querySelectorAll('script:not([type=\"application/ld+json\"])').length").asInt(),
                "pages need no JavaScript");
        assertTrue(browser.script("return document.documentElement.scrollWidth <= window.innerWidth").asBoolean(), "no sideways scrolling on a phone");
        assertEquals("NewsArticle", browser.script("return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)['@type']").asText());
        assertEquals(java.util.List.of(), browser.severeConsoleMessages(), "no errors or refused resources (content security policy included)");
        Path shot = Path.of("target", "browser-article-phone.png");
        Files.write(shot, browser.screenshot());
    }

    @Test
    void followingATagShowsItsStoriesNewestFirst() throws Exception {
        browser.resize(1280, 900);
        browser.open(url(ARTICLE));
        browser.click("ul.tags a[href='/tags/energy']");

        assertTrue(waitFor("return location.pathname === '/tags/energy'"), "landed on the tag page, not " + browser.currentUrl());
        assertEquals("Energy", browser.script("return document.querySelector('h1').textContent").asText());
        assertTrue(browser.script("""
                const times = [...document.querySelectorAll('.teasers time')].map(t => t.getAttribute('datetime'));
                return times.length > 1 && times.every((t, i) => i === 0 || times[i - 1] >= t);""").asBoolean(), "newest first");
    }

    /** Waits inside the page, frame by frame, until the condition holds (true) or 10 s pass (false). */
    private boolean waitFor(String condition) throws Exception {
        return browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                const check = () => { try { return (function () { %s })(); } catch (e) { return false; } };
                const deadline = Date.now() + 10000;
                (function poll() {
                  if (check()) { done(true); } else if (Date.now() > deadline) { done(false); } else { requestAnimationFrame(poll); }
                })();""".formatted(condition)).asBoolean();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + runner.port() + path;
    }
}
