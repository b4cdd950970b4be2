package com.meridianreview.related;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.meridianreview.core.Article;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.Image;
import com.meridianreview.core.JsonText;
import com.meridianreview.core.Problem;
import com.meridianreview.core.RelatedLists;
import com.meridianreview.core.RelatedStory;
import com.meridianreview.core.Teaser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/related/{slug}?limit=N}: the stories kept as the article's related list at
 * publish (the same ranking as the article page's "keep reading"), best first, as JSON. One
 * GetItem per look-up, whatever the size of the magazine.
 */
final class RelatedAnswers {

    static final int DEFAULT_LIMIT = 4;
    static final int MAX_LIMIT = RelatedLists.KEPT;
    /** As the pages: browsers a minute, the CDN five, stale copies while it refreshes or when the origin fails. */
    static final String CACHE = "public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400";
    static final String MISSING_CACHE = "public, max-age=60, s-maxage=60";

    /** An answer and what its log line says. */
    record Answer(HttpApiResponse response, int stories) {
    }

    private final ContentStore store;
    private final String siteUrl;
    private final String imageBaseUrl;
    private final JsonFactory json;
    private final Clock clock;

    RelatedAnswers(ContentStore store, String siteUrl, String imageBaseUrl, JsonFactory json, Clock clock) {
        this.store = store;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        this.imageBaseUrl = imageBaseUrl;
        this.json = json;
        this.clock = clock;
    }

    Answer respond(HttpApiRequest request) {
        Optional<String> limitText = request.query("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText.isPresent()) {
            limit = limitText.get().matches("\\d{1,2}") ? Integer.parseInt(limitText.get()) : -1;
            if (limit < 1 || limit > MAX_LIMIT) {
                return new Answer(problem(400, "Bad limit", "limit must be a whole number from 1 to " + MAX_LIMIT, "limit", NO_STORE), 0);
            }
        }
        String slug = request.pathParameter("slug").orElse("");
        Optional<ContentStore.StoredArticle> stored = store.storedArticle(slug);
        if (stored.isPresent() && stored.get().article().status() == Article.Status.UNPUBLISHED) {
            return new Answer(problem(410, "Taken down", "the article " + slug + " has been taken down", null, MISSING_CACHE), 0);
        }
        if (stored.isEmpty() || !stored.get().article().isLiveAt(clock.instant())) {
            // Drafts and scheduled stories look exactly like addresses that never existed.
            return new Answer(problem(404, "No such article", "no published article has the address /articles/" + printable(slug), null, MISSING_CACHE), 0);
        }
        List<RelatedStory> stories = stored.get().liveRelated(clock.instant(), limit);
        String body = JsonText.write(json, out -> {
            out.writeStartArray();
            for (RelatedStory story : stories) {
                writeStory(out, story);
            }
            out.writeEndArray();
        });
        String etag = "\"" + hash(body) + "\"";
        Map<String, String> headers = headers("application/json", CACHE);
        headers.put("etag", etag);
        if (request.header("if-none-match").map(value -> matches(value, etag)).orElse(false)) {
            return new Answer(HttpApiResponse.of(304, headers, ""), stories.size());
        }
        return new Answer(HttpApiResponse.of(200, headers, body), stories.size());
    }

    private void writeStory(JsonGenerator out, RelatedStory story) throws IOException {
        Teaser teaser = story.teaser();
        out.writeStartObject();
        out.writeStringField("slug", teaser.slug());
        out.writeStringField("headline", teaser.headline());
        out.writeStringField("dek", teaser.dek());
        out.writeStringField("section", teaser.section());
        out.writeStringField("region", teaser.region());
        out.writeStringField("url", siteUrl + "/articles/" + teaser.slug());
        Image image = teaser.image();
        if (image == null) {
            out.writeNullField("image");
        } else {
            out.writeObjectFieldStart("image");
            out.writeStringField("url", absolute(imageBaseUrl + image.key()));
            out.writeStringField("alt", image.alt());
            out.writeStringField("credit", image.credit());
            if (image.hasSize()) {
                out.writeNumberField("width", image.width());
                out.writeNumberField("height", image.height());
            }
            out.writeEndObject();
        }
        out.writeStringField("publishedAt", teaser.publishedAt().toString());
        out.writeNumberField("score", BigDecimal.valueOf(story.score()).setScale(4, RoundingMode.HALF_UP));
        out.writeEndObject();
    }

    static final String NO_STORE = "no-store";

    HttpApiResponse problem(int status, String title, String detail, String field, String cache) {
        String body = new Problem(status, title, detail, field == null ? List.of() : List.of(new Problem.FieldError(field, detail))).json(json);
        Map<String, String> headers = headers("application/problem+json", cache);
        if (status == 503) {
            headers.put("retry-after", "10");
        }
        return HttpApiResponse.of(status, headers, body);
    }

    private Map<String, String> headers(String contentType, String cache) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("cache-control", cache);
        headers.put("x-content-type-options", "nosniff");
        // The site's own pages may read it from a script; the answer is the same for everyone, so
        // a fixed origin (never an echo of the caller's) is safe to cache at the CDN.
        headers.put("access-control-allow-origin", siteUrl);
        return headers;
    }

    private String absolute(String path) {
        return path.startsWith("/") ? siteUrl + path : path;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String text) {
        String clean = text.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }

    private static String hash(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
