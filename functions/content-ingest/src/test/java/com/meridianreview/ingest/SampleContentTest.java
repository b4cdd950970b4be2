package com.meridianreview.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.core.Article;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample content the local runner loads is valid and covers what pages need to show. */
class SampleContentTest {

    private static final Path SAMPLES = Path.of("../../local/sample-content");

    @Test
    void everySampleArticleIsValidAndItsImageExists() throws Exception {
        List<Article> articles = new ArrayList<>();
        ArticleSource sources = new ArticleSource();
        for (Path file : markdownFiles()) {
            String slug = file.getFileName().toString().replace(".md", "");
            Article article = sources.parse(slug, Files.readString(file));
            assertTrue(Files.isRegularFile(SAMPLES.resolve("images").resolve(article.image().key())), "image of " + slug);
            articles.add(article);
        }
        List<Article> published = articles.stream().filter(Article::isPublished).toList();
        assertTrue(published.size() >= 12, "at least 12 published sample articles, got " + published.size());
        assertTrue(distinct(articles, a -> Set.of(a.section())) >= 3, "sections");
        assertTrue(distinct(articles, a -> Set.of(a.region())) >= 2, "regions");
        assertTrue(distinct(articles, a -> new HashSet<>(a.tags())) >= 10, "tags");
        assertTrue(distinct(articles, a -> new HashSet<>(a.authors())) >= 4, "authors");
        assertEquals(articles.size(), articles.stream().map(Article::slug).distinct().count());
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES.resolve("articles"))) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
    }

    private static <T> int distinct(List<Article> articles, java.util.function.Function<Article, Set<T>> values) {
        Set<T> all = new HashSet<>();
        articles.forEach(a -> all.addAll(values.apply(a)));
        return all.size();
    }
}
