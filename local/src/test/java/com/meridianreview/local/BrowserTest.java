package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * What readers and editors do in a real browser: read an article on a phone-sized screen and follow
 * a tag; upload an image and an article from the editor page and see them published; and what the
 * front page and an article weigh before the reader scrolls.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {

    /** Debian's packages: Selenium is given both, so it never looks for (or downloads) a driver or browser. */
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ARTICLE = "/articles/quiet-channels-reopen-between-gulf-rivals";
    /** Page-weight budgets in bytes (1 KB = 1,000 bytes), for everything transferred before the reader scrolls. */
    private static final Map<String, Long> BUDGETS = Map.of("/", 250_000L, ARTICLE, 150_000L);
    private static final Viewport PHONE = new Viewport(390, 844, true);
    private static final Viewport DESKTOP = new Viewport(1280, 800, false);
    private LocalRunner runner;
    private Path profile;
    private ChromeDriver browser;

    @BeforeAll
    void start(TestResources resources) throws Exception {
        String unavailable = unavailableReason();
        if (unavailable != null) {
            buildLog().println("[SKIPPED] BrowserTest: " + unavailable);
        }
        Assumptions.assumeTrue(unavailable == null, unavailable);
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(OutputStream.nullOutputStream()));
        profile = Files.createTempDirectory("chromium-profile");
        browser = startBrowser(profile);
        // waitFor runs inside the page for up to 30 s.
        browser.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        // Taken before quitting, while the tree is whole: whatever quit leaves running is ended below.
        List<ProcessHandle> driverProcesses = driverProcesses();
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            driverProcesses.forEach(ProcessHandle::destroyForcibly);
            deleteProfile(profile);
            if (runner != null) {
                runner.close();
            }
        }
    }

    @Test
    void anArticleReadsWellOnAPhoneWithoutScriptsOrErrors() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(url(ARTICLE));

        assertEquals("Quiet Channels Reopen Between Gulf Rivals | The Meridian Review", browser.getTitle());
        assertTrue(waitFor("const i = document.querySelector('.top-image img'); return i.complete && i.naturalWidth > 0"),
                "the top image loads from the image bucket through the CDN path");
        assertEquals(List.of("/newsletter/box.js"), script("return [...document.querySelectorAll('script:not([type=\"application/ld+json\"])')]"
                + ".map(s => new URL(s.src).pathname)"), "the only script is the signup box's, and the page reads without it");
        assertEquals(true, script("return document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone");
        assertEquals("NewsArticle", script("return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)['@type']"));
        assertEquals(List.of(), severeConsoleMessages(), "no errors or refused resources (content security policy included)");
        Path shot = Path.of("target", "browser-article-phone.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void followingATagShowsItsStoriesNewestFirst() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(url(ARTICLE));
        browser.findElement(By.cssSelector("ul.tags a[href='/tags/energy']")).click();

        assertTrue(waitFor("return location.pathname === '/tags/energy'"), "landed on the tag page, not " + browser.getCurrentUrl());
        assertEquals("Energy", script("return document.querySelector('h1').textContent"));
        assertEquals(true, script("""
                const times = [...document.querySelectorAll('.teasers time')].map(t => t.getAttribute('datetime'));
                return times.length > 1 && times.every((t, i) => i === 0 || times[i - 1] >= t);"""), "newest first");
    }

    @Test
    void anEditorUploadsAnImageAndAnArticleFromThePhoneAndFollowsThemUntilPublished(@org.junit.jupiter.api.io.TempDir Path files) throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(url("/editor"));
        browser.findElement(By.id("token")).sendKeys(runner.token("ana", "Ana Editor", List.of("editors"), java.time.Duration.ofMinutes(10)));
        browser.findElement(By.id("use-token")).click();
        assertTrue(waitFor("return document.querySelector('#signed-in').textContent.includes('Ana Editor')", 10_000), "signed in");

        Path image = files.resolve("harbour.png");
        Files.write(image, EditorUploadsTest.png(800, 500));
        browser.findElement(By.id("file")).sendKeys(image.toString());
        assertTrue(waitFor("return !document.querySelector('#upload').disabled", 10_000), "the checked image may be uploaded");
        browser.findElement(By.id("upload")).click();
        assertTrue(waitFor("return document.querySelector('#uploads > li[data-state=\"published\"] a.page-link') !== null", 30_000),
                "the image is published: " + script("return document.querySelector('#uploads').textContent"));
        String imagePage = (String) script("return document.querySelector('#uploads > li[data-state=\"published\"] a.page-link').pathname");
        assertTrue(imagePage.matches("/images/[0-9a-f]{24}\\.png"), imagePage);

        String source = Files.readString(LocalRunnerTest.SAMPLES.resolve("articles/quiet-channels-reopen-between-gulf-rivals.md"))
                .replace("key: \"quiet-channels.jpg\"", "key: \"" + imagePage.substring("/images/".length()) + "\"");
        Path article = files.resolve("harbour-talks-from-the-editor-page.md");
        Files.writeString(article, source);
        browser.findElement(By.id("file")).sendKeys(article.toString());
        assertTrue(waitFor("return !document.querySelector('#upload').disabled", 10_000), "the checked article may be uploaded");
        browser.findElement(By.id("upload")).click();
        assertTrue(waitFor("return document.querySelector('#uploads > li[data-key=\"incoming/articles/harbour-talks-from-the-editor-page.md\"]"
                + "[data-state=\"published\"] a.page-link') !== null", 30_000), "the article is published: " + script("return document.querySelector('#uploads').textContent"));

        Path broken = files.resolve("a-story-with-no-headline.md");
        Files.writeString(broken, "---\nsection: \"Diplomacy Watch\"\n---\n\nText.\n");
        browser.findElement(By.id("file")).sendKeys(broken.toString());
        assertTrue(waitFor("return !document.querySelector('#upload').disabled", 10_000));
        browser.findElement(By.id("upload")).click();
        assertTrue(waitFor("const li = document.querySelector('#uploads > li[data-key=\"incoming/articles/a-story-with-no-headline.md\"]');"
                + " return li && li.dataset.state === 'rejected' && li.textContent.includes('headline')", 30_000), "the rejection lists its problems");

        Path svg = files.resolve("logo.svg");
        Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        browser.findElement(By.id("file")).sendKeys(svg.toString());
        assertTrue(waitFor("return document.querySelector('#upload').disabled && /SVG is not accepted/.test(document.querySelector('#file-check').textContent)", 10_000),
                "an SVG is refused before it is sent");
        assertEquals(true, script("return document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone");
        assertEquals(List.of(), severeConsoleMessages(), "no script errors and nothing the content security policy refused");
        Files.write(Path.of("target", "browser-editor-phone.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aReaderSignsUpFromAnArticleWithAndWithoutScriptsAndConfirmsFromTheOutbox() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        String withScript = "reader-js-" + System.nanoTime() + "@example.org";
        browser.get(url(ARTICLE));
        browser.findElement(By.id("newsletter-email")).sendKeys(withScript);
        browser.findElement(By.cssSelector("form.newsletter-box button[type=submit]")).click();
        assertTrue(waitFor("return /Check your inbox/.test(document.querySelector('.newsletter-status').textContent)", 15_000),
                "the box answers in place: " + script("return document.querySelector('.newsletter-status').textContent"));
        assertTrue(browser.getCurrentUrl().endsWith(ARTICLE), "the reader stays on the article");

        String withoutScript = "reader-nojs-" + System.nanoTime() + "@example.org";
        browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", java.util.Map.of("value", true));
        try {
            browser.get(url(ARTICLE));
            browser.findElement(By.id("newsletter-email")).sendKeys(withoutScript);
            browser.findElement(By.cssSelector("form.newsletter-box button[type=submit]")).click();
            assertEquals("Check your inbox | The Meridian Review", awaitTitle("Check your inbox | The Meridian Review"), "the form works as a plain form");
        } finally {
            browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", java.util.Map.of("value", false));
        }

        for (String address : List.of(withScript, withoutScript)) {
            browser.get(url("/_local/outbox"));
            String confirm = (String) script("""
                    const links = [...document.querySelectorAll('a')].map(a => a.href).filter(h => h.includes('/newsletter/confirm?token='));
                    const text = document.body.innerText;
                    // the link in the message addressed to this reader
                    for (const href of links) {
                      const block = [...document.querySelectorAll('a')].find(a => a.href === href).closest('article, section, li, div');
                      if (block && block.innerText.includes(arguments[0])) return href;
                    }
                    return null;""".replace("arguments[0]", "'" + address + "'"));
            assertTrue(confirm != null, "the outbox shows a confirmation link for " + address);
            browser.get(confirm);
            browser.findElement(By.cssSelector("form button[type=submit]")).click();
            assertEquals("You are subscribed | The Meridian Review", awaitTitle("You are subscribed | The Meridian Review"), address);
        }
        assertEquals(List.of(), severeConsoleMessages(), "no script errors and nothing the content security policy refused");
    }

    /**
     * Weighed by the browser's own Resource Timing, each page in a browser with an empty profile so
     * that nothing comes from a cache. Runs first: the story the editor test publishes changes the
     * article page, and with it the figures copied into the docs.
     * Regenerate docs/screenshots/*-phone.png with: mvn test -pl local -Dtest=BrowserTest -Dscreenshots=true
     */
    @Test
    @Order(1)
    void theFrontPageAndAnArticleStayWithinTheirWeightBudgetsBeforeTheReaderScrolls() throws Exception {
        Path screenshots = Boolean.getBoolean("screenshots")
                ? LocalRunnerTest.TEMPLATE.toAbsolutePath().normalize().getParent().getParent().resolve("docs/screenshots")
                : null;
        List<Executable> budgets = new ArrayList<>();
        for (Viewport viewport : List.of(PHONE, DESKTOP)) {
            for (String page : List.of("/", ARTICLE)) {
                PageWeight weight = weigh(page, viewport, fresh -> {
                    if (viewport == PHONE && page.equals("/")) {
                        List<?> unfetched = (List<?>) fresh.executeScript("""
                                const fetched = new Set(performance.getEntriesByType('resource').map(e => e.name));
                                return [...document.querySelectorAll('img[loading="lazy"]')]
                                  .filter(img => [img.getAttribute('src'), ...(img.getAttribute('srcset') || '').split(',').map(c => c.trim().split(/\\s+/)[0])]
                                    .filter(Boolean).every(u => !fetched.has(new URL(u, document.baseURI).href)))
                                  .map(img => img.getAttribute('src'));""");
                        assertFalse(unfetched.isEmpty(), "a lazy image far below the fold on a phone waits until the reader scrolls");
                    }
                    if (screenshots != null && viewport == PHONE) {
                        try {
                            Files.createDirectories(screenshots);
                            Files.write(screenshots.resolve(page.equals("/") ? "front-page-phone.png" : "article-phone.png"),
                                    fresh.getScreenshotAs(OutputType.BYTES));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
                buildLog().println("Page weight " + viewport + " " + page + ": " + weight);
                long budget = BUDGETS.get(page);
                budgets.add(() -> assertTrue(weight.total() <= budget,
                        "%s at %s weighs %,d bytes, over its budget of %,d".formatted(page, viewport, weight.total(), budget)));
            }
        }
        assertAll(budgets);
    }

    /**
     * The page's title once it is {@code expected}, or whatever it is after 10 s. Asked from here,
     * not from a script in the page: a form's answer replaces the page, and any script waiting in it.
     */
    private String awaitTitle(String expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!browser.getTitle().equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return browser.getTitle();
    }

    record Viewport(int width, int height, boolean mobile) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /** Bytes transferred for the document and for each kind of resource, by count. */
    record PageWeight(long document, Map<String, long[]> resources) {
        long total() {
            return document + resources.values().stream().mapToLong(r -> r[1]).sum();
        }

        @Override
        public String toString() {
            StringBuilder parts = new StringBuilder(String.format(Locale.ROOT, "document %,d", document));
            resources.forEach((kind, r) -> parts.append(String.format(Locale.ROOT, ", %d %s %,d", r[0], r[0] == 1 ? kind : kind + "s", r[1])));
            return String.format(Locale.ROOT, "%,d bytes (%s)", total(), parts);
        }
    }

    /**
     * What the page at {@code path} transfers until its network has been quiet for 500 ms, read from
     * a browser started for it alone; {@code whileOpen} runs against that browser before it quits.
     * Chromium reports a same-origin transferSize as the encoded body plus a fixed 300 bytes for the
     * headers; a zero would mean a cache answered, so the body size stands in for it.
     */
    private PageWeight weigh(String path, Viewport viewport, Consumer<ChromeDriver> whileOpen) throws IOException {
        Path freshProfile = Files.createTempDirectory("chromium-profile");
        Set<Long> earlier = chromedrivers().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
        ChromeDriver fresh = null;
        try {
            fresh = startBrowser(freshProfile);
            fresh.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(60));
            // The window's size includes room for the browser's own bars even when headless; the viewport is set exactly.
            fresh.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", viewport.width(), "height", viewport.height(), "deviceScaleFactor", 1, "mobile", viewport.mobile()));
            fresh.get(url(path));
            assertEquals(true, fresh.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const deadline = Date.now() + 30000;
                    let count = -1, since = Date.now();
                    (function poll() {
                      const now = performance.getEntriesByType('resource').length;
                      if (now !== count || document.readyState !== 'complete') { count = now; since = Date.now(); }
                      if (Date.now() - since >= 500) { done(true); } else if (Date.now() > deadline) { done(false); } else { setTimeout(poll, 50); }
                    })();"""), path + " finished loading and its network went quiet");
            assertEquals(List.of(viewport.width(), viewport.height()),
                    ((List<?>) fresh.executeScript("return [innerWidth, innerHeight]")).stream().map(n -> ((Number) n).intValue()).toList(), "the viewport");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) fresh.executeScript("""
                    const size = e => e.transferSize || e.encodedBodySize;
                    const kind = e => /^image\\//.test(e.contentType) ? 'image'
                      : /css/.test(e.contentType) ? 'stylesheet'
                      : /javascript/.test(e.contentType) ? 'script'
                      : /^font\\//.test(e.contentType) ? 'font'
                      : e.initiatorType === 'img' ? 'image' : 'other';
                    return [...performance.getEntriesByType('navigation').map(e => ({kind: 'document', bytes: size(e)})),
                            ...performance.getEntriesByType('resource').map(e => ({kind: kind(e), bytes: size(e)}))];""");
            long document = 0;
            Map<String, long[]> resources = new LinkedHashMap<>();
            for (String kind : List.of("image", "stylesheet", "script", "font", "other")) {
                resources.put(kind, new long[2]);
            }
            for (Map<String, Object> entry : entries) {
                long bytes = ((Number) entry.get("bytes")).longValue();
                if (entry.get("kind").equals("document")) {
                    document += bytes;
                } else {
                    long[] kind = resources.get(entry.get("kind"));
                    kind[0]++;
                    kind[1] += bytes;
                }
            }
            resources.values().removeIf(r -> r[0] == 0);
            whileOpen.accept(fresh);
            return new PageWeight(document, resources);
        } finally {
            // Only this browser's driver and what it started: the shared browser stays up for the other tests.
            List<ProcessHandle> started = withDescendants(chromedrivers().filter(p -> !earlier.contains(p.pid())));
            try {
                if (fresh != null) {
                    fresh.quit();
                }
            } finally {
                started.forEach(ProcessHandle::destroyForcibly);
                deleteProfile(freshProfile);
            }
        }
    }

    /** Surefire keeps test output in report files; the build log is what a person reads. */
    private static PrintStream buildLog() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    /** Why browser tests cannot run here, or null when they can. */
    private static String unavailableReason() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)";
        }
        return null;
    }

    /**
     * Headless Chromium behind Debian's chromedriver, on a port ChromeDriverService chooses. Selenium
     * checks that port is free and then lets chromedriver bind it, so another process may take it in
     * between: chromedriver then exits before it listens, and a fresh service on a fresh port is tried.
     */
    private static ChromeDriver startBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        for (int attempt = 1; ; attempt++) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogOutput(OutputStream.nullOutputStream())
                    .build();
            try {
                return new ChromeDriver(service, options);
            } catch (WebDriverException e) {
                service.stop();
                if (attempt == 3 || !driverExitedBeforeListening(e)) {
                    throw e;
                }
            }
        }
    }

    /** True when chromedriver itself ended before it answered (a browser that fails to start is not retried). */
    private static boolean driverExitedBeforeListening(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Driver server process died prematurely")) {
                return true;
            }
        }
        return false;
    }

    /** The chromedriver processes this JVM started, with the browsers they started. */
    private static List<ProcessHandle> driverProcesses() {
        return withDescendants(chromedrivers());
    }

    private static Stream<ProcessHandle> chromedrivers() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(command -> command.endsWith("chromedriver")).orElse(false));
    }

    private static List<ProcessHandle> withDescendants(Stream<ProcessHandle> processes) {
        return processes.flatMap(p -> Stream.concat(Stream.of(p), p.descendants())).toList();
    }

    private static void deleteProfile(Path profile) {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile folder
        }
    }

    private Object script(String body) {
        return browser.executeScript(body);
    }

    /** Console messages of level SEVERE (script errors, refused resources, policy violations). */
    private List<String> severeConsoleMessages() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().equals(Level.SEVERE))
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Waits inside the page, frame by frame, until the condition holds (true) or 10 s pass (false). */
    private boolean waitFor(String condition) {
        return waitFor(condition, 10_000);
    }

    private boolean waitFor(String condition, long millis) {
        return Boolean.TRUE.equals(browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const check = () => { try { return (function () { %s })(); } catch (e) { return false; } };
                const deadline = Date.now() + %d;
                (function poll() {
                  if (check()) { done(true); } else if (Date.now() > deadline) { done(false); } else { setTimeout(poll, 50); }
                })();""".formatted(condition, millis)));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + runner.port() + path;
    }
}
