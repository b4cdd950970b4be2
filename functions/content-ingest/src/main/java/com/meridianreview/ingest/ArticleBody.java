package com.meridianreview.ingest;

import java.util.List;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Safelist;

/**
 * An article body: Markdown rendered to HTML, then cleaned against an allowlist so that whatever an
 * upload contains, pages only ever carry these tags and attributes.
 */
record ArticleBody(String html, String excerpt, int readingMinutes) {

    private static final int WORDS_PER_MINUTE = 230;
    private static final int EXCERPT_LENGTH = 280;

    static final class Renderer {
        private final Parser parser;
        private final HtmlRenderer renderer;
        private final Safelist allowed;

        Renderer() {
            // Prefixed so that a sub head can never take an id the page layout uses ("latest").
            var extensions = List.of(HeadingAnchorExtension.builder().idPrefix("h-").build());
            this.parser = Parser.builder().extensions(extensions).includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();
            // Raw HTML in a source is shown as text, never passed through.
            this.renderer = HtmlRenderer.builder().extensions(extensions).escapeHtml(true).sanitizeUrls(true).build();
            this.allowed = new Safelist()
                    .addTags("p", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "em", "strong", "code", "pre",
                            "br", "hr", "a", "img", "figure", "figcaption")
                    .addAttributes("a", "href", "title")
                    .addAttributes("img", "src", "alt", "title")
                    .addAttributes("h1", "id")
                    .addAttributes("h2", "id")
                    .addAttributes("h3", "id")
                    .addAttributes("h4", "id")
                    .addProtocols("a", "href", "https", "http", "mailto")
                    .addProtocols("img", "src", "https")
                    .preserveRelativeLinks(true);
        }

        /**
         * What an editor must change before the body can be published, each with its line in the
         * file ({@code firstLine} is the line the body starts on): raw HTML, which pages would only
         * show as text, and links or images to anything but web, mail and site addresses, which
         * pages would drop. Rendering stays strict on its own; this says so instead of doing it silently.
         */
        List<String> problems(String markdown, int firstLine) {
            List<String> problems = new java.util.ArrayList<>();
            parser.parse(markdown).accept(new AbstractVisitor() {
                @Override
                public void visit(HtmlBlock html) {
                    problems.add(line(html) + "raw HTML (" + quote(html.getLiteral()) + ") is not allowed in a body: write it in Markdown");
                }

                @Override
                public void visit(HtmlInline html) {
                    problems.add(line(html) + "raw HTML (" + quote(html.getLiteral()) + ") is not allowed in a body: write it in Markdown");
                }

                @Override
                public void visit(Link link) {
                    check(link, link.getDestination(), "link");
                    visitChildren(link);
                }

                @Override
                public void visit(org.commonmark.node.Image image) {
                    check(image, image.getDestination(), "image");
                    visitChildren(image);
                }

                private void check(Node node, String destination, String what) {
                    String target = destination == null ? "" : destination.trim().toLowerCase(java.util.Locale.ROOT);
                    boolean image = what.equals("image");
                    boolean web = target.startsWith("https://") || !image && (target.startsWith("http://") || target.startsWith("mailto:"));
                    boolean site = image ? target.startsWith("/images/") : target.startsWith("/") && !target.startsWith("//") || target.startsWith("#");
                    if (!web && !site) {
                        problems.add(line(node) + "the " + what + " to " + quote(destination) + " is not allowed: use an https:// address or a path on the site"
                                + (what.equals("image") ? " (images must be https:// or under /images/)" : ""));
                    }
                }

                private String line(Node node) {
                    List<SourceSpan> spans = node.getSourceSpans();
                    return spans.isEmpty() ? "" : "line " + (firstLine + spans.get(0).getLineIndex()) + ": ";
                }
            });
            return problems;
        }

        private static String quote(String text) {
            String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
            return "\"" + (flat.length() > 40 ? flat.substring(0, 40) + "…" : flat) + "\"";
        }

        ArticleBody render(String markdown) {
            String html = renderer.render(parser.parse(markdown));
            Document cleaned = Jsoup.parseBodyFragment(Jsoup.clean(html, "https://www.example.invalid/", allowed));
            // A top-level heading inside the body would compete with the headline.
            for (Element h1 : cleaned.select("h1")) {
                h1.tagName("h2");
            }
            // What the allowlist emptied (a javascript: link, say) goes, keeping any text.
            cleaned.select("img:not([src])").remove();
            cleaned.select("img[src=]").remove();
            cleaned.select("a:not([href])").unwrap();
            cleaned.select("a[href=]").unwrap();
            for (Element image : cleaned.select("img")) {
                image.attr("loading", "lazy");
            }
            for (Element link : cleaned.select("a[href^=http]")) {
                link.attr("rel", "noopener");
            }
            cleaned.outputSettings().prettyPrint(false);
            String text = cleaned.body().text();
            int words = text.isBlank() ? 0 : text.trim().split("\\s+").length;
            return new ArticleBody(cleaned.body().html(), excerpt(cleaned), Math.max(1, Math.round(words / (float) WORDS_PER_MINUTE)));
        }

        private static String excerpt(Document body) {
            Element first = body.selectFirst("p");
            String text = first == null ? body.text() : first.text();
            if (text.length() <= EXCERPT_LENGTH) {
                return text;
            }
            int cut = text.lastIndexOf(' ', EXCERPT_LENGTH);
            return text.substring(0, cut > 0 ? cut : EXCERPT_LENGTH).replaceAll("[\\s,;:.-]+$", "") + "…";
        }
    }
}
