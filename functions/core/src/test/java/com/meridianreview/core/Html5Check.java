package com.meridianreview.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nu.validator.client.EmbeddedValidator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.xml.sax.SAXException;

/**
 * What a standards validator says about a page, one line per problem; an empty list is a valid page.
 * <ul>
 * <li>{@link #validatorMessages}: the Nu Html Checker (the engine of validator.w3.org/nu) run in
 * this JVM on its bundled HTML5 schemas, with no network. Every error and every warning counts,
 * except the {@link #OUTDATED_CHECKER messages} where the 2020 release on Maven Central lags the
 * current HTML and ARIA specifications.</li>
 * <li>{@link #headingOutline}: one h1, and heading levels never skip going deeper (h1 then h3).
 * The Nu checker does not report skipped levels; linters such as html-validate and accessibility
 * checkers do (WCAG 1.3.1), so the parsed outline is checked here.</li>
 * </ul>
 */
public final class Html5Check {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Messages of nu.validator 20.6.30 that newer releases no longer give for the same markup, each
     * with the element it may be about. Nothing else is excused.
     * <ul>
     * <li>{@code fetchpriority} on {@code img}: added to the HTML Standard after this release (the
     * article's top image asks for it).</li>
     * <li>"Possible misuse of aria-label" on {@code ul}: ARIA 1.2 lets a list be named, and later
     * releases exempt {@code ul}, {@code ol} and others from this warning. The article's tags and
     * share lists carry one.</li>
     * </ul>
     */
    private static final List<Excused> OUTDATED_CHECKER = List.of(
            new Excused("Attribute “fetchpriority” not allowed on element “img” at this point.", "<img "),
            new Excused("Possible misuse of “aria-label”. (If you disagree with this warning, file an issue report or send e-mail to www-validator@w3.org.)", "<ul "));

    private record Excused(String message, String elementStart) {
        boolean covers(String message, String flagged) {
            return this.message.equals(message) && flagged.startsWith(elementStart);
        }
    }

    private Html5Check() {
    }

    /** The Nu checker's errors and warnings (and any failure to check), as readable lines. */
    public static List<String> validatorMessages(String html) throws IOException, SAXException {
        EmbeddedValidator validator = new EmbeddedValidator();
        validator.setOutputFormat(EmbeddedValidator.OutputFormat.JSON);
        validator.setForceHTML(true);
        validator.setLoadEntities(false);
        // Language detection guesses from the text; the test articles are a few words of filler.
        validator.setNoLangDetect(true);
        String report = validator.validate(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        List<String> problems = new ArrayList<>();
        for (JsonNode message : JSON.readTree(report).path("messages")) {
            String type = message.path("type").asText();
            String subType = message.path("subType").asText("");
            if (type.equals("info") && subType.isEmpty()) {
                continue; // plain information, neither error nor warning
            }
            String text = message.path("message").asText();
            String flagged = flagged(message);
            if (OUTDATED_CHECKER.stream().anyMatch(excused -> excused.covers(text, flagged))) {
                continue;
            }
            problems.add((subType.isEmpty() ? type : subType) + " at line " + message.path("lastLine").asText() + ": " + text
                    + " [" + flagged + "]");
        }
        return problems;
    }

    /** The markup the message points at: the highlighted part of its extract. */
    private static String flagged(JsonNode message) {
        String extract = message.path("extract").asText("");
        int start = message.path("hiliteStart").asInt(0);
        int length = message.path("hiliteLength").asInt(extract.length());
        return extract.substring(Math.min(start, extract.length()), Math.min(start + length, extract.length()));
    }

    /** Skipped heading levels and a missing or repeated h1, as readable lines. */
    public static List<String> headingOutline(String html) {
        List<String> problems = new ArrayList<>();
        int previous = 0;
        int h1s = 0;
        for (Element heading : Jsoup.parse(html).select("h1, h2, h3, h4, h5, h6")) {
            int level = heading.normalName().charAt(1) - '0';
            if (level == 1) {
                h1s++;
            }
            if (level > previous + 1) {
                problems.add("<" + heading.normalName() + "> \"" + heading.text() + "\" follows "
                        + (previous == 0 ? "no heading" : "<h" + previous + ">") + ": a heading level is skipped");
            }
            previous = level;
        }
        if (h1s != 1) {
            problems.add(h1s + " h1 elements; a page has exactly one");
        }
        return problems;
    }
}
