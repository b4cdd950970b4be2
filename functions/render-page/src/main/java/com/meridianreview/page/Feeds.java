package com.meridianreview.page;

import com.meridianreview.core.Author;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Listing;
import com.meridianreview.core.ListingPage;
import com.meridianreview.core.Teaser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * RSS 2.0 feeds of the site's newest stories and of each section, region, tag and author. Items
 * carry the excerpt (or the dek), not the article body: a feed is one Query of teaser items, which
 * never hold a body, and the full text stays on the article page.
 */
final class Feeds {

    static final int ITEMS = 30;
    static final String CONTENT_TYPE = "application/rss+xml; charset=utf-8";
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String DUBLIN_CORE = "http://purl.org/dc/elements/1.1/";
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ContentStore store;
    private final Site site;

    Feeds(ContentStore store, Site site) {
        this.store = store;
        this.site = site;
    }

    static String path(Listing listing) {
        return listing.kind() == Listing.Kind.LATEST ? "/feed.xml" : listing.url() + "/feed.xml";
    }

    /** The feed of this list, from one Query; empty for a list with no stories, except the site's own feed. */
    Optional<String> feed(Listing.Kind kind, String slug) {
        Optional<ListingPage> found = store.listingPage(kind, slug, ITEMS, null);
        if (found.isEmpty()) {
            return kind == Listing.Kind.LATEST ? Optional.of(rss(Listing.LATEST, List.of())) : Optional.empty();
        }
        Listing listing = kind == Listing.Kind.LATEST ? Listing.LATEST : found.get().listing();
        return Optional.of(rss(listing, found.get().page().items()));
    }

    private String rss(Listing listing, List<Teaser> teasers) {
        boolean whole = listing.kind() == Listing.Kind.LATEST;
        XmlDocument xml = new XmlDocument(2048 + teasers.size() * 1024)
                .root("rss", null, "atom", ATOM, "dc", DUBLIN_CORE).attribute("version", "2.0")
                .start("channel")
                .element("title", whole ? site.name() : site.name() + ": " + listing.name())
                .element("link", site.absolute(listing.url()))
                .element("description", whole ? "Foreign policy news and opinion from " + site.name() + "."
                        : heading(listing) + ": stories from " + site.name() + ".")
                .element("language", "en");
        if (!teasers.isEmpty()) {
            // The newest item's time rather than the clock's, so the feed, and its ETag, change only when its stories do.
            xml.element("lastBuildDate", rfc822(teasers.get(0).publishedAt()));
        }
        xml.empty("atom", "link").attribute("href", site.absolute(path(listing))).attribute("rel", "self")
                .attribute("type", "application/rss+xml").newline();
        for (Teaser teaser : teasers) {
            String url = site.absolute("/articles/" + teaser.slug());
            xml.start("item")
                    .element("title", teaser.headline())
                    .element("link", url)
                    .start("guid").attribute("isPermaLink", "true").text(url).end()
                    .element("pubDate", rfc822(teaser.publishedAt()));
            String summary = teaser.excerpt() != null && !teaser.excerpt().isBlank() ? teaser.excerpt() : teaser.dek();
            if (summary != null) {
                xml.element("description", summary);
            }
            for (Author author : teaser.authors()) {
                xml.element("dc", "creator", author.name());
            }
            if (teaser.section() != null) {
                xml.element("category", teaser.section());
            }
            xml.end().newline();
        }
        return xml.end().end().finish();
    }

    private static String heading(Listing listing) {
        return listing.kind() == Listing.Kind.AUTHOR ? "Stories by " + listing.name() : listing.name();
    }

    static String rfc822(Instant instant) {
        return RFC_822.format(instant);
    }
}
