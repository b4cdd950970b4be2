package com.meridianreview.page;

import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Listing;
import com.meridianreview.core.Page;
import com.meridianreview.core.Teaser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sitemaps crawlers read, and robots.txt naming them. Every address comes from the site's
 * latest list, which holds published stories only and, by its key condition, none whose time has
 * not come: drafts, scheduled and withdrawn stories are in no sitemap.
 */
final class Sitemaps {

    static final String CONTENT_TYPE = "application/xml; charset=utf-8";
    static final Duration NEWS_WINDOW = Duration.ofHours(48);
    /** Google News reads at most this many addresses from a news sitemap. */
    static final int NEWS_MAX = 1_000;
    private static final String SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static final String NEWS = "http://www.google.com/schemas/sitemap-news/0.9";
    private static final Pattern CHILD = Pattern.compile("articles-([1-9][0-9]{0,6})\\.xml");

    /**
     * How many addresses one sitemap holds before /sitemap.xml becomes an index, and how many
     * teasers each Query asks for while paging through the latest list.
     */
    record Limits(int addressesPerSitemap, int teasersPerQuery) {
        /**
         * The protocol allows 50,000 addresses a file, but a Lambda response is at most 6 MB and an
         * address takes up to about 220 bytes (a 120-character slug and its lastmod): 20,000 always
         * fit. A Query stops at 1 MB in any case, so a larger page would not mean fewer requests.
         */
        static final Limits DEFAULT = new Limits(20_000, 1_000);
    }

    private final ContentStore store;
    private final Site site;
    private final Clock clock;
    private final Limits limits;

    Sitemaps(ContentStore store, Site site, Clock clock, Limits limits) {
        this.store = store;
        this.site = site;
        this.clock = clock;
        this.limits = limits;
    }

    /** One address: its absolute URL and when it last changed (null when unknown). */
    private record Address(String loc, Instant lastmod) {
    }

    /**
     * The home page and every story, newest first, as one urlset; past the per-sitemap limit, an
     * index of /sitemaps/articles-N.xml, each holding the next limit's worth in the same order.
     */
    String sitemap() {
        int per = limits.addressesPerSitemap();
        List<Address> first = new ArrayList<>();
        // The newest story of the second child on, each being the first address there.
        List<Instant> newestOfLater = new ArrayList<>();
        int[] total = {0};
        Address home = new Address(site.absolute("/"), null);
        first.add(home);
        total[0] = 1;
        walk(teaser -> {
            int position = total[0]++;
            if (position % per == 0) {
                newestOfLater.add(teaser.publishedAt());
            }
            if (position < per) {
                first.add(article(teaser));
            }
            return true;
        });
        if (first.size() > 1) {
            // The home page changes whenever a story is published.
            first.set(0, new Address(home.loc(), first.get(1).lastmod()));
        }
        if (total[0] <= per) {
            return urlset(first);
        }
        XmlDocument xml = new XmlDocument(256 + newestOfLater.size() * 160).root("sitemapindex", SITEMAP).newline();
        int children = (total[0] + per - 1) / per;
        for (int n = 1; n <= children; n++) {
            xml.start("sitemap").element("loc", site.absolute("/sitemaps/articles-" + n + ".xml"));
            // The first child's newest address is the home page, which changes with the newest story.
            Instant newest = n == 1 ? first.get(0).lastmod() : newestOfLater.get(n - 2);
            if (newest != null) {
                xml.element("lastmod", w3c(newest));
            }
            xml.end().newline();
        }
        return xml.end().finish();
    }

    /**
     * One child of the index, by the name the index gives it; empty for any other name, and for a
     * child the index would not list (past the last, or any child while one sitemap is enough).
     */
    Optional<String> child(String name) {
        Matcher matcher = CHILD.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long per = limits.addressesPerSitemap();
        long from = (Long.parseLong(matcher.group(1)) - 1) * per;
        long to = from + per;
        List<Address> addresses = new ArrayList<>();
        if (from == 0) {
            addresses.add(new Address(site.absolute("/"), null));
        }
        long[] seen = {1};
        walk(teaser -> {
            long position = seen[0]++;
            if (position == 1 && from == 0) {
                addresses.set(0, new Address(addresses.get(0).loc(), teaser.publishedAt()));
            }
            if (position >= from && position < to) {
                addresses.add(article(teaser));
            }
            // One address past this child shows whether the site needs an index at all.
            return position < to;
        });
        if (seen[0] <= per || seen[0] <= from) {
            return Optional.empty();
        }
        return Optional.of(urlset(addresses));
    }

    /** Stories of the last 48 hours, newest first, at most 1,000, in Google News' format. */
    String news() {
        Instant now = clock.instant();
        Instant since = now.minus(NEWS_WINDOW);
        List<Teaser> recent = new ArrayList<>();
        walk(teaser -> {
            if (teaser.publishedAt().isBefore(since)) {
                return false;
            }
            recent.add(teaser);
            return recent.size() < NEWS_MAX;
        });
        XmlDocument xml = new XmlDocument(512 + recent.size() * 400).root("urlset", SITEMAP, "news", NEWS).newline();
        for (Teaser teaser : recent) {
            xml.start("url").element("loc", site.absolute("/articles/" + teaser.slug()))
                    .start("news", "news")
                    .start("news", "publication").element("news", "name", site.name()).element("news", "language", "en").end()
                    .element("news", "publication_date", w3c(teaser.publishedAt()))
                    .element("news", "title", teaser.headline())
                    .end().end().newline();
        }
        return xml.end().finish();
    }

    String robots() {
        return String.join("\n",
                "User-agent: *",
                "Allow: /",
                "Disallow: /preview/",
                "Disallow: /api/",
                "Disallow: /editor",
                "Disallow: /newsletter/",
                "",
                "Sitemap: " + site.absolute("/sitemap.xml"),
                "Sitemap: " + site.absolute("/news-sitemap.xml"),
                "");
    }

    private String urlset(List<Address> addresses) {
        XmlDocument xml = new XmlDocument(256 + addresses.size() * 160).root("urlset", SITEMAP).newline();
        for (Address address : addresses) {
            xml.start("url").element("loc", address.loc());
            if (address.lastmod() != null) {
                xml.element("lastmod", w3c(address.lastmod()));
            }
            xml.end().newline();
        }
        return xml.end().finish();
    }

    /** Teaser items carry no update time, so a story's lastmod is its publication time. */
    private Address article(Teaser teaser) {
        return new Address(site.absolute("/articles/" + teaser.slug()), teaser.publishedAt());
    }

    /**
     * Offers the latest list's stories, newest first, until {@code visitor} returns false or the
     * list ends, one Query per page.
     */
    private void walk(Predicate<Teaser> visitor) {
        String cursor = null;
        while (true) {
            Page<Teaser> page = store.teasers(Listing.LATEST, limits.teasersPerQuery(), cursor);
            for (Teaser teaser : page.items()) {
                if (!visitor.test(teaser)) {
                    return;
                }
            }
            if (page.items().isEmpty()) {
                return;
            }
            if (page.nextCursor() != null) {
                cursor = page.nextCursor();
                continue;
            }
            // A Query also stops at 1 MB, which a large page can reach before the extra item that
            // would prove an older page; only an empty page after the last story proves the end.
            Teaser last = page.items().get(page.items().size() - 1);
            cursor = last.publishedAt().truncatedTo(ChronoUnit.SECONDS) + "#" + last.slug();
            if (!ContentStore.isValidCursor(cursor)) {
                return;
            }
        }
    }

    private static String w3c(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
