package com.meridianreview.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What readers' pages promise about images, landmarks and colour, checked on the parsed page, one
 * line per problem; an empty list is a page that keeps them. The Nu checker does not look at any
 * of these: an image without a size is valid HTML, and so is grey text on white.
 */
final class PageChecks {

    /** The test articles whose images ingest has given renditions, by the start of their file names. */
    static final Set<String> WITH_RENDITIONS = Set.of("quiet-channels", "elsewhere");
    /** A page's main picture: it loads first, never lazily. */
    private static final String MAIN_PICTURE = "article.lead img, figure.top-image img";

    private PageChecks() {
    }

    /**
     * Every image has a size (so nothing moves as it loads) and alt text (empty for a teaser's
     * picture, whose headline is the link); one with renditions offers them with {@code sizes};
     * a teaser shows the smallest; the page's main picture loads at once and first, the rest lazily.
     */
    static List<String> imageProblems(String html) {
        Document page = Jsoup.parse(html);
        List<String> problems = new ArrayList<>();
        Set<Element> main = Set.copyOf(page.select(MAIN_PICTURE));
        for (Element image : page.select("img")) {
            String src = image.attr("src");
            for (String size : List.of("width", "height")) {
                if (!image.attr(size).matches("[1-9][0-9]*")) {
                    problems.add(src + ": no " + size);
                }
            }
            if (!image.hasAttr("alt")) {
                problems.add(src + ": no alt");
            }
            boolean hasRenditions = WITH_RENDITIONS.stream().anyMatch(stem -> src.startsWith("/images/" + stem + "-") || src.equals("/images/" + stem + ".jpg"));
            if (hasRenditions && (!image.hasAttr("srcset") || !image.hasAttr("sizes"))) {
                problems.add(src + ": renditions not offered with srcset and sizes");
            }
            if (image.hasAttr("srcset") != image.hasAttr("sizes")) {
                problems.add(src + ": srcset and sizes go together");
            }
            if (image.parents().stream().anyMatch(parent -> parent.hasClass("teasers")) && image.hasAttr("srcset")
                    && !image.attr("srcset").startsWith(src + " ")) {
                problems.add(src + ": a teaser shows the smallest rendition, not " + src);
            }
            if (main.contains(image)) {
                if (!image.attr("fetchpriority").equals("high") || image.hasAttr("loading")) {
                    problems.add(src + ": the page's main picture loads first, not lazily");
                }
            } else if (!image.attr("loading").equals("lazy") || image.hasAttr("fetchpriority")) {
                problems.add(src + ": a picture further down loads lazily");
            }
        }
        Element first = page.selectFirst("img");
        if (!main.isEmpty() && first != null && !main.contains(first)) {
            problems.add("the page's main picture is not its first");
        }
        return problems;
    }

    /** The masthead, the section navigation, one main and the footer, in that order, after the skip link. */
    static List<String> landmarkProblems(String html) {
        Document page = Jsoup.parse(html);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> expected = Map.of("body > header", 1, "body > header nav", 1, "main", 1, "body > footer", 1);
        for (Map.Entry<String, Integer> landmark : expected.entrySet()) {
            int found = page.select(landmark.getKey()).size();
            if (found != landmark.getValue()) {
                problems.add(found + " × " + landmark.getKey() + ", expected " + landmark.getValue());
            }
        }
        List<String> order = page.body().children().stream().map(Element::normalName)
                .filter(name -> Set.of("header", "main", "footer").contains(name)).toList();
        if (!order.equals(List.of("header", "main", "footer"))) {
            problems.add("landmarks in the order " + order);
        }
        Element skip = page.body().selectFirst("a[href], button, input, select, textarea");
        if (skip == null || !skip.attr("href").equals("#main") || !"main".equals(page.select("main").attr("id"))) {
            problems.add("the first thing a keyboard reaches is not the link to the main content");
        }
        return problems;
    }

    private static final Pattern RULE = Pattern.compile("([^{}]*)\\{([^{}]*)}");
    private static final Pattern VARIABLE = Pattern.compile("(--[a-z-]+):(#[0-9a-fA-F]{3,6})");
    private static final Pattern COLOR = Pattern.compile("(?<![-a-z])color:([^;]+)");
    private static final Pattern BACKGROUND = Pattern.compile("background(?:-color)?:([^;]+)");

    /**
     * Text colour against its background (white, unless the rule sets one) below WCAG AA's 4.5:1
     * for body text. Colours are read from the stylesheet, through its custom properties.
     */
    static List<String> contrastProblems(String css) {
        Map<String, String> variables = new HashMap<>();
        Matcher variable = VARIABLE.matcher(css);
        while (variable.find()) {
            variables.put(variable.group(1), variable.group(2));
        }
        List<String> problems = new ArrayList<>();
        Matcher rule = RULE.matcher(css);
        int checked = 0;
        while (rule.find()) {
            String declarations = rule.group(2);
            Matcher color = COLOR.matcher(declarations);
            if (!color.find()) {
                continue;
            }
            String foreground = resolve(color.group(1), variables);
            Matcher background = BACKGROUND.matcher(declarations);
            String behind = background.find() ? resolve(background.group(1), variables) : "#fff";
            if (foreground == null || behind == null) {
                continue; // inherit, currentColor: the colour of a rule checked on its own
            }
            checked++;
            double ratio = contrast(foreground, behind);
            if (ratio < 4.5) {
                problems.add(rule.group(1).strip() + ": " + foreground + " on " + behind + " is " + String.format("%.2f", ratio) + ":1");
            }
        }
        if (checked == 0) {
            problems.add("no text colour found to check");
        }
        return problems;
    }

    private static String resolve(String value, Map<String, String> variables) {
        String v = value.strip();
        Matcher reference = Pattern.compile("var\\((--[a-z-]+)\\)").matcher(v);
        if (reference.matches()) {
            return variables.get(reference.group(1));
        }
        return v.matches("#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}") ? v : null;
    }

    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        String h = hex.substring(1);
        if (h.length() == 3) {
            h = "" + h.charAt(0) + h.charAt(0) + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2);
        }
        double[] channel = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16) / 255.0;
            channel[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
    }
}
