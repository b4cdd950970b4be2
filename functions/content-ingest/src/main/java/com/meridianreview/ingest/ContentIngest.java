package com.meridianreview.ingest;

import com.meridianreview.core.Article;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Image;
import com.meridianreview.core.RelatedLists;
import com.meridianreview.core.StoredImage;
import com.meridianreview.core.SourceVersion;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Turns an uploaded article source into published content: validate, render, write. The one
 * path by which articles reach the table, used by the ingest function and the local runner alike.
 */
public final class ContentIngest {

    public static final String ARTICLES_PREFIX = "articles/";
    public static final String IMAGES_PREFIX = "images/";

    private final ArticleSource sources;
    private final ContentStore store;
    private final RelatedLists related;

    public ContentIngest(ArticleSource sources, ContentStore store, RelatedLists related) {
        this.sources = sources;
        this.store = store;
        this.related = related;
    }

    /** The article slug an object key names, as in {@code articles/quiet-channels.md}; empty for other keys. */
    public static Optional<String> slugOf(String objectKey) {
        if (!objectKey.startsWith(ARTICLES_PREFIX) || !objectKey.endsWith(".md")) {
            return Optional.empty();
        }
        String name = objectKey.substring(ARTICLES_PREFIX.length(), objectKey.length() - 3);
        return name.contains("/") ? Optional.empty() : Optional.of(name);
    }

    /** Validates and publishes one source; the table is untouched when the source is invalid. */
    public Article ingest(String objectKey, byte[] source) throws InvalidSourceException {
        return ingest(objectKey, source, "").article();
    }

    /**
     * What an ingest came to: the article read from the source, its version, whether it was written
     * or a newer one kept, and (when written) what the refresh of related lists did.
     */
    public record Ingested(Article article, SourceVersion version, ContentStore.Publication publication, RelatedLists.Refresh related) {
    }

    /**
     * Validates and publishes one source written with this S3 {@code sequencer}; an older version
     * than the table holds (by {@code updatedAt}, then sequencer) is read and checked but not written.
     */
    public Ingested ingest(String objectKey, byte[] source, String sequencer) throws InvalidSourceException {
        return ingest(objectKey, source, article -> SourceVersion.of(article, sequencer));
    }

    /** Publishes a source whose version is already known (a rebuild from the bucket's copies). */
    public Ingested ingest(String objectKey, byte[] source, SourceVersion version) throws InvalidSourceException {
        return ingest(objectKey, source, article -> version);
    }

    private Ingested ingest(String objectKey, byte[] source, java.util.function.Function<Article, SourceVersion> versionOf) throws InvalidSourceException {
        String slug = slugOf(objectKey).orElseThrow(() -> new InvalidSourceException(objectKey,
                List.of("article sources go under " + ARTICLES_PREFIX + " and end in .md")));
        if (source.length > ArticleSource.MAX_SOURCE_BYTES) {
            throw new InvalidSourceException(objectKey, List.of("the file is " + source.length + " bytes; at most "
                    + ArticleSource.MAX_SOURCE_BYTES + " are allowed"));
        }
        Article article = withImageSize(objectKey, sources.parse(slug, utf8(objectKey, source)));
        SourceVersion version = versionOf.apply(article);
        ContentStore.Publication publication = store.publish(article, version);
        // After the article is written: a failure here is retried with the event, and publishing again changes nothing.
        RelatedLists.Refresh refresh = publication == ContentStore.Publication.WRITTEN ? related.refresh(article, version) : null;
        return new Ingested(article, version, publication, refresh);
    }

    /** The article's image must have been uploaded first; its size and renditions go into the article. */
    private Article withImageSize(String objectKey, Article article) throws InvalidSourceException {
        Image image = article.image();
        if (image == null) {
            return article;
        }
        StoredImage stored = store.image(image.key()).orElseThrow(() -> new InvalidSourceException(objectKey, List.of(
                "image.key names \"" + image.key() + "\", which has not been uploaded; upload the image under incoming/ first")));
        return article.withImage(image.withSize(stored.width(), stored.height(), stored.renditions()));
    }

    private static String utf8(String objectKey, byte[] source) throws InvalidSourceException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(source)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSourceException(objectKey, List.of("the file is not UTF-8 text"));
        }
    }
}
