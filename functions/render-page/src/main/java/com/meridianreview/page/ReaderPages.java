package com.meridianreview.page;

import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.Image;
import com.meridianreview.core.Listing;
import com.meridianreview.core.ListingPage;
import com.meridianreview.core.Page;
import com.meridianreview.core.PreviewLinks;
import com.meridianreview.core.Slugs;
import com.meridianreview.core.Teaser;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pages readers see, each from a fixed number of table requests: an article page makes one
 * (the article, with its related stories), plus the site's newest stories when {@link SiteLists}
 * holds none fresh; the front page makes that one Query or none; a list page, an older page of the
 * front page's list and a newsletter issue one each. An empty front page is still a page; any
 * other empty list is not found.
 */
final class ReaderPages {

    static final int LIST_PAGE_SIZE = 20;
    static final int KEEP_READING = 3;
    static final int LATEST = 5;
    static final int RETRY_AFTER_SECONDS = 10;
    /** A slug no article can have (slugs come from file names, which ingest checks): priming reads, finds nothing. */
    static final String PRIMING_SLUG = "snapstart-priming-probe-0";

    private final ContentStore store;
    private final SiteLists siteLists;
    private final NewsletterArchive archive;
    private final TemplateEngine templates;
    private final StructuredData structuredData;
    private final Site site;
    private final PreviewLinks previews;
    private final Clock clock;
    private final Feeds feeds;
    private final Sitemaps sitemaps;

    ReaderPages(ContentStore store, SiteLists siteLists, NewsletterArchive archive, TemplateEngine templates, StructuredData structuredData,
            Site site, PreviewLinks previews, Clock clock, Sitemaps.Limits sitemapLimits) {
        this.feeds = new Feeds(store, site);
        this.sitemaps = new Sitemaps(store, site, clock, sitemapLimits);
        this.store = store;
        this.siteLists = siteLists;
        this.archive = archive;
        this.templates = templates;
        this.structuredData = structuredData;
        this.site = site;
        this.previews = previews;
        this.clock = clock;
    }

    /**
     * Answers GET and HEAD (the caller drops the body for HEAD; the routes are ANY because a GET
     * route does not take HEAD). Another method on a page gets 405, any other address 404.
     */
    HttpApiResponse respond(HttpApiRequest request) {
        String routeKey = request.routeKey();
        // The route's path decides; its method part is GET or ANY depending on the template.
        Function<HttpApiRequest, HttpApiResponse> page = pageAt(routeKey.substring(routeKey.indexOf(' ') + 1));
        if (page == null) {
            return notFound();
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return methodNotAllowed();
        }
        return page.apply(request);
    }

    private Function<HttpApiRequest, HttpApiResponse> pageAt(String routePath) {
        return switch (routePath) {
            // The front page; its older pages (a cursor, which the CDN keys on) are plain list pages.
            case "/" -> request -> request.query("after").isPresent() ? listing(request, Listing.Kind.LATEST, Listing.LATEST.slug()) : front(request);
            case "/articles/{slug}" -> request -> article(request, slug(request));
            case "/sections/{slug}" -> request -> listing(request, Listing.Kind.SECTION, slug(request));
            case "/regions/{slug}" -> request -> listing(request, Listing.Kind.REGION, slug(request));
            case "/tags/{slug}" -> request -> listing(request, Listing.Kind.TAG, slug(request));
            case "/authors/{slug}" -> request -> listing(request, Listing.Kind.AUTHOR, slug(request));
            case "/preview/{slug}" -> request -> preview(request, slug(request));
            // Feeds and sitemaps take no query parameters: the CDN passes only the list cursor on, and they ignore it.
            case "/feed.xml" -> request -> feed(request, Listing.Kind.LATEST, Listing.LATEST.slug());
            case "/sections/{slug}/feed.xml" -> request -> feed(request, Listing.Kind.SECTION, slug(request));
            case "/regions/{slug}/feed.xml" -> request -> feed(request, Listing.Kind.REGION, slug(request));
            case "/tags/{slug}/feed.xml" -> request -> feed(request, Listing.Kind.TAG, slug(request));
            case "/authors/{slug}/feed.xml" -> request -> feed(request, Listing.Kind.AUTHOR, slug(request));
            case "/sitemap.xml" -> request -> sitemap(request, Optional.of(sitemaps.sitemap()));
            case "/sitemaps/{name}" -> request -> sitemap(request, sitemaps.child(request.pathParameter("name").orElse("")));
            case "/news-sitemap.xml" -> request -> sitemap(request, Optional.of(sitemaps.news()));
            case "/newsletter/issues/{date}" -> request -> archive.page(request.pathParameter("date").orElse(null))
                    .map(html -> HtmlResponses.issue(request, html)).orElseGet(this::notFound);
            case "/robots.txt" -> request -> HtmlResponses.document(request, sitemaps.robots(), "text/plain; charset=utf-8", HtmlResponses.SITEMAP_CACHE);
            default -> null;
        };
    }

    private static String slug(HttpApiRequest request) {
        return request.pathParameter("slug").orElse("");
    }

    /**
     * Runs the read path once before SnapStart takes its snapshot, so classes are loaded, templates
     * initialised and the DynamoDB client's first-use work done. It only reads: a snapshot is taken
     * in every environment the function is published to.
     */
    List<RuntimeException> prime() {
        // Best effort: a failure here (permissions still propagating, throttling) must not fail the
        // snapshot and with it the deployment; the function then warms up on its first requests.
        List<RuntimeException> failures = new ArrayList<>();
        List<Runnable> steps = List.of(
                () -> respond(primingRequest("GET /", "/", Map.of())),
                () -> respond(primingRequest("GET /articles/{slug}", "/articles/" + PRIMING_SLUG, Map.of("slug", PRIMING_SLUG))),
                this::renderSampleArticle,
                this::renderSampleLists);
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        // The snapshot may be restored long after it is taken; the front page's list read now must
        // not be served then as if it had just been read.
        siteLists.forget();
        return failures;
    }

    private void renderSampleArticle() {
        Article sample = new Article(PRIMING_SLUG, "Priming", "Priming", "Priming", "Reporting", "Priming", "Priming",
                List.of("Priming"), List.of(Author.named("Priming")), Instant.EPOCH, null,
                Article.Status.PUBLISHED, new Image("priming.jpg", "Priming", "Priming", null),
                "<p>Priming</p>", "Priming", 1, List.of());
        render("article.jte", Map.of("site", site, "view", new ArticleView(sample, List.of(sample.teaser()), List.of(sample.teaser()),
                structuredData.newsArticle(sample, site), ShareLinks.of(site.absolute("/"), sample.headline()))));
    }

    /** A list page and a whole front page (lead, latest, a section block), which a new table may not fill yet. */
    private void renderSampleLists() {
        Teaser sample = new Teaser(PRIMING_SLUG, "Priming", "Priming", "Priming", "Reporting", "Priming", List.of(Author.named("Priming")),
                Instant.EPOCH, new Image("priming.jpg", "Priming", "Priming", null), "Priming");
        Page<Teaser> samples = new Page<>(List.of(sample, sample), null);
        // A name with an accent, so that the snapshot holds the Unicode tables slugs of such names need.
        render("listing.jte", Map.of("site", site, "view", new ListingView(Listing.of(Listing.Kind.TAG, "Priming é"), samples, true)));
        render("front.jte", Map.of("site", site, "view", FrontPage.of(samples, List.of(Listing.of(Listing.Kind.SECTION, "Priming")))));
    }

    /** Called when a SnapStart snapshot is restored: whatever lists it holds were read before it was taken. */
    void forgetSiteLists() {
        siteLists.forget();
    }

    private static HttpApiRequest primingRequest(String routeKey, String path, Map<String, String> pathParameters) {
        return new HttpApiRequest(routeKey, "GET", path, "", Map.of(), Map.of(), pathParameters, List.of(), null, false, "priming", "127.0.0.1", Map.of());
    }

    /** The content table is down, slow or throttling: try again shortly (the CDN may still hold a copy). */
    HttpApiResponse unavailable() {
        HttpApiResponse page = HtmlResponses.status(503, message("Back in a moment",
                "We could not fetch this page just now. Please try again in a few seconds."));
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("retry-after", Integer.toString(RETRY_AFTER_SECONDS));
        return HttpApiResponse.of(503, headers, page.body());
    }

    /** A request that did not come through the CDN (the HTTP API's own address). */
    HttpApiResponse notThroughTheSite() {
        return HtmlResponses.status(403, message("Read this page on the magazine's site",
                "This address is not where readers find the magazine. Please use the site's own address."));
    }

    HttpApiResponse serverError() {
        return HtmlResponses.status(500, message("Something went wrong",
                "We could not show this page just now. Please try again in a minute."));
    }

    private HttpApiResponse article(HttpApiRequest request, String slug) {
        Optional<ContentStore.StoredArticle> stored = store.storedArticle(slug);
        Optional<Article> found = stored.map(ContentStore.StoredArticle::article);
        if (found.isPresent() && found.get().status() == Article.Status.UNPUBLISHED) {
            return gone();
        }
        if (found.isEmpty() || !found.get().isLiveAt(clock.instant())) {
            // Drafts and stories scheduled for later look exactly like addresses that never existed.
            return notFound();
        }
        Article article = found.get();
        // The related stories kept with the article (the ranking /api/related gives); an article
        // published before lists were kept shows its section's newest among the site's newest,
        // which the page reads anyway, rather than spend a Query of its own on them.
        List<Teaser> newest = siteLists.newestOrKept().items();
        List<Teaser> keepReading = stored.get().related().isPresent()
                ? stored.get().liveRelated(clock.instant(), KEEP_READING).stream().map(com.meridianreview.core.RelatedStory::teaser).toList()
                : others(inSection(newest, article.section()), slug, KEEP_READING);
        List<Teaser> latest = others(newest, slug, LATEST);
        ArticleView view = new ArticleView(article, keepReading, latest, structuredData.newsArticle(article, site),
                ShareLinks.of(site.absolute("/articles/" + slug), article.headline()));
        return HtmlResponses.page(request, render("article.jte", Map.of("site", site, "view", view)));
    }

    /**
     * An editor's look at an article readers cannot see yet, through a signed link that expires:
     * never cached, never indexed. A wrong or expired link looks like any unknown address.
     */
    private HttpApiResponse preview(HttpApiRequest request, String slug) {
        if (!previews.admits(slug, request.query("expires").orElse(null), request.query("sig").orElse(null))) {
            return notFound();
        }
        Optional<Article> found = store.article(slug);
        if (found.isEmpty()) {
            return notFound();
        }
        Article article = found.get();
        ArticleView view = new ArticleView(article, List.of(), List.of(), structuredData.newsArticle(article, site),
                ShareLinks.of(site.absolute("/articles/" + slug), article.headline()), true);
        Map<String, String> headers = new LinkedHashMap<>(HtmlResponses.status(200, "").headers());
        headers.put("cache-control", HtmlResponses.NO_STORE);
        headers.put("x-robots-tag", "noindex, nofollow");
        return HttpApiResponse.of(200, headers, render("article.jte", Map.of("site", site, "view", view)));
    }

    /** One Query at most: the site's newest stories, grouped into the page's blocks here. */
    private HttpApiResponse front(HttpApiRequest request) {
        FrontPage view = FrontPage.of(siteLists.newest(), site.navigation());
        return HtmlResponses.page(request, render("front.jte", Map.of("site", site, "view", view)));
    }

    private HttpApiResponse listing(HttpApiRequest request, Listing.Kind kind, String slug) {
        String cursor = request.query("after").orElse(null);
        // A cursor from the future can only be made up, and the table refuses to start a page there.
        if (cursor != null && (!ContentStore.isValidCursor(cursor) || !isPast(cursor.substring(0, cursor.indexOf('#'))))) {
            return HtmlResponses.status(400, message("That page address is not right",
                    "The link to older stories is damaged. Start again from the first page."));
        }
        Optional<ListingPage> found = store.listingPage(kind, slug, LIST_PAGE_SIZE, cursor);
        boolean empty = found.map(f -> f.page().items().isEmpty()).orElse(true);
        // An empty home page is still the home page; an empty list or an empty older page is not there.
        if (empty && (kind != Listing.Kind.LATEST || cursor != null)) {
            return notFound();
        }
        Page<Teaser> page = found.map(ListingPage::page).orElse(new Page<>(List.of(), null));
        ListingView view = new ListingView(kind == Listing.Kind.LATEST ? Listing.LATEST : found.get().listing(), page, cursor == null);
        return HtmlResponses.page(request, render("listing.jte", Map.of("site", site, "view", view)));
    }

    private HttpApiResponse feed(HttpApiRequest request, Listing.Kind kind, String slug) {
        return feeds.feed(kind, slug).map(rss -> HtmlResponses.document(request, rss, Feeds.CONTENT_TYPE, HtmlResponses.PAGE_CACHE))
                .orElseGet(this::notFound);
    }

    private HttpApiResponse sitemap(HttpApiRequest request, Optional<String> xml) {
        return xml.map(body -> HtmlResponses.document(request, body, Sitemaps.CONTENT_TYPE, HtmlResponses.SITEMAP_CACHE))
                .orElseGet(this::notFound);
    }

    private boolean isPast(String time) {
        try {
            return Instant.parse(time).isBefore(clock.instant());
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private HttpApiResponse methodNotAllowed() {
        HttpApiResponse page = HtmlResponses.status(405, message("Not allowed", "Pages can only be read here."));
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("allow", "GET, HEAD");
        return HttpApiResponse.of(405, headers, page.body());
    }

    private HttpApiResponse gone() {
        return HtmlResponses.status(410, message("This story has been withdrawn",
                "The magazine has taken this story down. Other stories are on the front page."));
    }

    private HttpApiResponse notFound() {
        return HtmlResponses.status(404, message("Page not found",
                "We could not find that page. It may have moved, or the address may be mistyped."));
    }

    private String message(String title, String text) {
        return render("message.jte", Map.of("site", site, "title", title, "message", text));
    }

    private String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(16 * 1024);
        templates.render(template, params, out);
        return out.toString();
    }

    private static List<Teaser> inSection(List<Teaser> teasers, String section) {
        String wanted = Slugs.of(section);
        return teasers.stream().filter(teaser -> teaser.section() != null && Slugs.of(teaser.section()).equals(wanted)).toList();
    }

    private static List<Teaser> others(List<Teaser> teasers, String slug, int limit) {
        return teasers.stream().filter(teaser -> !teaser.slug().equals(slug)).limit(limit).toList();
    }
}
