package com.meridianreview.ingest;

import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Correction;
import com.meridianreview.core.Image;
import com.meridianreview.core.Slugs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads an editor's article source: a YAML front-matter block between {@code ---} lines, then the
 * body in Markdown. Every problem found is reported at once, so an editor fixes a file in one go.
 */
public final class ArticleSource {

    public static final int MAX_SOURCE_BYTES = 256 * 1024;
    static final int MAX_BODY_HTML_BYTES = 300_000;
    private static final int MAX_CORRECTIONS = 20;
    private static final int MAX_TAGS = 20;
    private static final int MAX_AUTHORS = 10;
    private static final Pattern IMAGE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern RASTER = Pattern.compile("(?i).+\\.(jpe?g|png)");

    private final ArticleBody.Renderer bodies = new ArticleBody.Renderer();

    /**
     * Parses the source of the article with this slug.
     *
     * @throws InvalidSourceException with every problem, each naming its field
     */
    public Article parse(String slug, String source) throws InvalidSourceException {
        List<String> problems = new ArrayList<>();
        if (!Slugs.isValid(slug)) {
            problems.add("file name must be a slug of lower-case letters, digits and hyphens (got \"" + slug + "\")");
        }
        String text = source.startsWith("\uFEFF") ? source.substring(1) : source;
        text = text.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new InvalidSourceException(slug, List.of("the file must start with a front-matter block opened by a line of three hyphens (---)"));
        }
        int end = text.indexOf("\n---", 3);
        if (end < 0) {
            throw new InvalidSourceException(slug, List.of("the front-matter block is not closed by a line of three hyphens (---)"));
        }
        int bodyStart = text.indexOf('\n', end + 4);
        String markdown = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
        Map<String, Object> fields = frontMatter(slug, text.substring(4, end + 1));
        Fields f = new Fields(fields, problems);

        String headline = f.text("headline", true, 200);
        String dek = f.text("dek", true, 300);
        String section = f.text("section", true, 80);
        String type = f.text("type", true, 40);
        String channel = f.text("channel", false, 60);
        String region = f.text("region", true, 80);
        List<String> tags = f.texts("tags", 1, MAX_TAGS, 60);
        List<Author> authors = f.texts("authors", 1, MAX_AUTHORS, 100).stream().map(Author::named).toList();
        Instant publishedAt = f.instant("publishedAt", true);
        Instant updatedAt = f.instant("updatedAt", false);
        if (publishedAt != null && updatedAt != null && updatedAt.isBefore(publishedAt)) {
            problems.add("updatedAt must not be before publishedAt");
        }
        Article.Status status = f.status();
        Image image = f.image();
        List<Correction> corrections = f.corrections();
        if (markdown.isBlank()) {
            problems.add("the body after the front matter is empty");
        } else {
            // The body starts on the line after the closing "---".
            try {
                problems.addAll(bodies.problems(markdown, (int) text.substring(0, bodyStart + 1).lines().count() + 1));
            } catch (StackOverflowError tooDeep) {
                // Thousands of nested quotes or lists: a file no editor means to write.
                throw new InvalidSourceException(slug, List.of("the body nests quotes or lists too deeply to be read"));
            }
        }
        for (String name : Arrays.asList(section, region)) {
            if (name != null && Slugs.of(name).isEmpty()) {
                problems.add("\"" + name + "\" needs at least one letter or digit");
            }
        }
        int listings = 2 + tags.size() + authors.size();
        if (listings > ContentStore.MAX_LISTINGS) {
            problems.add("too many tags and authors together (" + listings + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSourceException(slug, withLines(problems, text.substring(0, end)));
        }
        ArticleBody body = bodies.render(markdown);
        int htmlBytes = body.html().getBytes(StandardCharsets.UTF_8).length;
        if (htmlBytes > MAX_BODY_HTML_BYTES) {
            // DynamoDB items stop at 400 KB; escaped characters make HTML larger than its Markdown.
            throw new InvalidSourceException(slug, List.of("the body is " + htmlBytes + " bytes once rendered; at most "
                    + MAX_BODY_HTML_BYTES + " are allowed, so split the article"));
        }
        return new Article(slug, headline, dek, section, type, channel, region, tags, authors, publishedAt, updatedAt,
                status, image, body.html(), body.excerpt(), body.readingMinutes(), corrections);
    }

    /**
     * Puts the front-matter line in front of each problem about a field written there ("line 3:
     * dek must ..."), so an editor finds it at once; problems about missing fields have no line.
     */
    private static List<String> withLines(List<String> problems, String frontMatter) {
        Map<String, Integer> lines = new HashMap<>();
        List<String> all = frontMatter.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            java.util.regex.Matcher key = FIELD_LINE.matcher(all.get(i));
            if (key.find()) {
                lines.putIfAbsent(key.group(1), i + 1);
            }
        }
        List<String> located = new ArrayList<>();
        for (String problem : problems) {
            java.util.regex.Matcher field = PROBLEM_FIELD.matcher(problem);
            Integer line = field.find() ? lines.get(field.group(1)) : null;
            located.add(line == null || problem.startsWith("line ") ? problem : "line " + line + ": " + problem);
        }
        return located;
    }

    private static final Pattern FIELD_LINE = Pattern.compile("^([A-Za-z][A-Za-z0-9]*)\\s*:");
    private static final Pattern PROBLEM_FIELD = Pattern.compile("^([A-Za-z][A-Za-z0-9]*)(\\.[a-z]+)?\\b");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> frontMatter(String slug, String yaml) throws InvalidSourceException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_SOURCE_BYTES);
        try {
            Object loaded = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options, new TextOnly())
                    .load(yaml);
            if (!(loaded instanceof Map)) {
                throw new InvalidSourceException(slug, List.of("the front matter must be a set of \"field: value\" lines"));
            }
            return (Map<String, Object>) loaded;
        } catch (YAMLException e) {
            String reason = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
            throw new InvalidSourceException(slug, List.of("the front matter is not valid YAML: " + reason));
        }
    }

    /**
     * Reads every plain scalar as text. YAML 1.1 would turn {@code region: NO} into false and an
     * unquoted date into a timestamp; an editor means the words they typed.
     */
    private static final class TextOnly extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    /** Field readers that record a problem instead of failing on the first one. */
    private static final class Fields {
        private final Map<String, Object> values;
        private final List<String> problems;

        Fields(Map<String, Object> values, List<String> problems) {
            this.values = values;
            this.problems = problems;
        }

        String text(String name, boolean required, int maxLength) {
            return text(values, name, name, required, maxLength);
        }

        String text(Map<?, ?> from, String name, String label, boolean required, int maxLength) {
            Object value = from.get(name);
            if (value == null || value.toString().isBlank()) {
                if (required) {
                    problems.add(label + " is required");
                }
                return null;
            }
            if (value instanceof Map || value instanceof List) {
                problems.add(label + " must be text");
                return null;
            }
            String text = value.toString().strip();
            if (text.length() > maxLength) {
                problems.add(label + " is " + text.length() + " characters long; at most " + maxLength + " are allowed");
            }
            return text;
        }

        List<String> texts(String name, int min, int max, int maxLength) {
            Object value = values.get(name);
            if (value instanceof String single && !single.isBlank()) {
                value = List.of(single);
            }
            if (!(value instanceof List<?> list) || list.size() < min) {
                problems.add(name + " must list at least " + min);
                return List.of();
            }
            if (list.size() > max) {
                problems.add(name + " lists " + list.size() + "; at most " + max + " are allowed");
            }
            LinkedHashSet<String> texts = new LinkedHashSet<>();
            Map<String, String> bySlug = new HashMap<>();
            for (Object item : list) {
                if (item == null || item instanceof Map || item instanceof List || item.toString().isBlank()) {
                    problems.add(name + " must be a list of names");
                    continue;
                }
                String text = item.toString().strip();
                if (text.length() > maxLength || Slugs.of(text).isEmpty()) {
                    problems.add(name + " has an unusable entry \"" + text + "\"");
                    continue;
                }
                String earlier = bySlug.putIfAbsent(Slugs.of(text), text);
                if (earlier != null && !earlier.equals(text)) {
                    problems.add(name + " lists \"" + earlier + "\" and \"" + text + "\", which are the same; keep one spelling");
                    continue;
                }
                texts.add(text);
            }
            return List.copyOf(texts);
        }

        Instant instant(String name, boolean required) {
            Object value = values.get(name);
            if (value == null) {
                if (required) {
                    problems.add(name + " is required (for example 2026-11-20T09:30:00Z)");
                }
                return null;
            }
            try {
                return OffsetDateTime.parse(value.toString().strip()).toInstant();
            } catch (DateTimeParseException e) {
                problems.add(name + " must be a date and time with a zone, such as 2026-11-20T09:30:00Z (got \"" + value + "\")");
                return null;
            }
        }

        Article.Status status() {
            String status = text("status", true, 20);
            if (status == null) {
                return Article.Status.DRAFT;
            }
            try {
                return Article.Status.fromWireName(status);
            } catch (IllegalArgumentException e) {
                problems.add("status must be published, draft or unpublished (got \"" + status + "\")");
                return Article.Status.DRAFT;
            }
        }

        Image image() {
            if (!(values.get("image") instanceof Map<?, ?> image)) {
                problems.add("image is required, with key, alt and credit");
                return null;
            }
            String key = text(image, "key", "image.key", true, 200);
            if (key != null && (!IMAGE_KEY.matcher(key).matches() || key.contains("..") || !RASTER.matcher(key).matches())) {
                problems.add("image.key must name a JPEG or PNG image uploaded under incoming/ (got \"" + key + "\")");
            }
            String alt = text(image, "alt", "image.alt", true, 300);
            String credit = text(image, "credit", "image.credit", true, 200);
            String caption = text(image, "caption", "image.caption", false, 400);
            return new Image(key, alt, credit, caption);
        }

        List<Correction> corrections() {
            Object value = values.get("corrections");
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                problems.add("corrections must be a list of date and text pairs");
                return List.of();
            }
            if (list.size() > MAX_CORRECTIONS) {
                // With the body limit, this keeps the whole article under DynamoDB's 400 KB item size.
                problems.add("corrections lists " + list.size() + "; at most " + MAX_CORRECTIONS + " are allowed");
            }
            List<Correction> corrections = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> correction)) {
                    problems.add("each correction needs a date and a text");
                    continue;
                }
                String text = text(correction, "text", "corrections.text", true, 1000);
                Object date = correction.get("date");
                LocalDate day = null;
                try {
                    day = LocalDate.parse(String.valueOf(date));
                } catch (DateTimeParseException e) {
                    problems.add("corrections.date must be a date such as 2026-11-22 (got \"" + date + "\")");
                }
                if (text != null && day != null) {
                    corrections.add(new Correction(day, text));
                }
            }
            return corrections;
        }
    }
}
