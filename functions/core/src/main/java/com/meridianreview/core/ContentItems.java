package com.meridianreview.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Turns articles and teasers into table items and back. */
final class ContentItems {

    private ContentItems() {
    }

    static Map<String, AttributeValue> articleItem(Article article) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ContentTable.PK, s(ContentTable.articlePk(article.slug())));
        item.put(ContentTable.SK, s(ContentTable.ARTICLE_SK));
        putTeaserFields(item, article.teaser());
        putIfPresent(item, "channel", article.channel());
        item.put("tags", strings(article.tags()));
        putIfPresent(item, "updatedAt", article.updatedAt() == null ? null : article.updatedAt().toString());
        item.put("status", s(article.status().wireName()));
        item.put("bodyHtml", s(article.bodyHtml()));
        item.put("readingMinutes", AttributeValue.fromN(Integer.toString(article.readingMinutes())));
        if (!article.corrections().isEmpty()) {
            List<AttributeValue> corrections = new ArrayList<>();
            for (Correction correction : article.corrections()) {
                corrections.add(AttributeValue.fromM(Map.of(
                        "date", s(correction.date().toString()),
                        "text", s(correction.text()))));
            }
            item.put("corrections", AttributeValue.fromL(corrections));
        }
        return item;
    }

    /**
     * A teaser in one listing. It carries the article's tags too, so that the articles of a listing
     * can be weighed as related stories without reading each article.
     */
    static Map<String, AttributeValue> teaserItem(Teaser teaser, List<String> tags, Listing listing) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("tags", strings(tags));
        item.put(ContentTable.PK, s(ContentTable.articlePk(teaser.slug())));
        item.put(ContentTable.SK, s(ContentTable.listingSk(listing)));
        item.put(ContentTable.LISTING, s(listing.key()));
        item.put(ContentTable.LISTED_AT, s(ContentTable.listedAt(teaser.publishedAt(), teaser.slug())));
        item.put("listingName", s(listing.name()));
        putTeaserFields(item, teaser);
        return item;
    }

    static Article article(Map<String, AttributeValue> item) {
        List<Correction> corrections = new ArrayList<>();
        AttributeValue correctionList = item.get("corrections");
        if (correctionList != null) {
            for (AttributeValue value : correctionList.l()) {
                corrections.add(new Correction(LocalDate.parse(value.m().get("date").s()), value.m().get("text").s()));
            }
        }
        return new Article(
                str(item, "slug"),
                str(item, "headline"),
                str(item, "dek"),
                str(item, "section"),
                str(item, "type"),
                str(item, "channel"),
                str(item, "region"),
                stringList(item.get("tags")),
                authors(item.get("authors")),
                Instant.parse(str(item, "publishedAt")),
                item.containsKey("updatedAt") ? Instant.parse(str(item, "updatedAt")) : null,
                Article.Status.fromWireName(str(item, "status")),
                image(item.get("image")),
                str(item, "bodyHtml"),
                str(item, "excerpt"),
                item.containsKey("readingMinutes") ? Integer.parseInt(item.get("readingMinutes").n()) : 0,
                corrections);
    }

    /** A story of a related list as the article item keeps it: the teaser's fields and the score. */
    static AttributeValue relatedEntry(RelatedStory story) {
        Map<String, AttributeValue> entry = new HashMap<>();
        putTeaserFields(entry, story.teaser());
        entry.put("score", AttributeValue.fromN(Double.toString(story.score())));
        return AttributeValue.fromM(entry);
    }

    static List<RelatedStory> related(AttributeValue list) {
        List<RelatedStory> stories = new ArrayList<>();
        if (list != null && list.hasL()) {
            for (AttributeValue entry : list.l()) {
                stories.add(new RelatedStory(teaser(entry.m()), Double.parseDouble(entry.m().get("score").n())));
            }
        }
        return stories;
    }

    static AttributeValue relatedList(List<RelatedStory> stories) {
        return AttributeValue.fromL(stories.stream().map(ContentItems::relatedEntry).toList());
    }

    /** The tags a teaser item carries (none on items written before teasers carried them). */
    static List<String> tags(Map<String, AttributeValue> item) {
        return stringList(item.get("tags"));
    }

    static Teaser teaser(Map<String, AttributeValue> item) {
        return new Teaser(
                str(item, "slug"),
                str(item, "headline"),
                str(item, "dek"),
                str(item, "section"),
                str(item, "type"),
                str(item, "region"),
                authors(item.get("authors")),
                Instant.parse(str(item, "publishedAt")),
                image(item.get("image")),
                str(item, "excerpt"));
    }

    private static void putTeaserFields(Map<String, AttributeValue> item, Teaser teaser) {
        item.put("slug", s(teaser.slug()));
        item.put("headline", s(teaser.headline()));
        putIfPresent(item, "dek", teaser.dek());
        putIfPresent(item, "section", teaser.section());
        putIfPresent(item, "type", teaser.type());
        putIfPresent(item, "region", teaser.region());
        putIfPresent(item, "excerpt", teaser.excerpt());
        item.put("publishedAt", s(teaser.publishedAt().toString()));
        List<AttributeValue> authors = new ArrayList<>();
        for (Author author : teaser.authors()) {
            authors.add(AttributeValue.fromM(Map.of("name", s(author.name()), "slug", s(author.slug()))));
        }
        item.put("authors", AttributeValue.fromL(authors));
        if (teaser.image() != null) {
            Map<String, AttributeValue> image = new HashMap<>();
            image.put("key", s(teaser.image().key()));
            putIfPresent(image, "alt", teaser.image().alt());
            putIfPresent(image, "credit", teaser.image().credit());
            putIfPresent(image, "caption", teaser.image().caption());
            if (teaser.image().hasSize()) {
                image.put("width", AttributeValue.fromN(Integer.toString(teaser.image().width())));
                image.put("height", AttributeValue.fromN(Integer.toString(teaser.image().height())));
                image.put("renditions", renditions(teaser.image().renditions()));
            }
            item.put("image", AttributeValue.fromM(image));
        }
    }

    private static List<Author> authors(AttributeValue value) {
        List<Author> authors = new ArrayList<>();
        if (value != null) {
            for (AttributeValue author : value.l()) {
                authors.add(new Author(author.m().get("name").s(), author.m().get("slug").s()));
            }
        }
        return authors;
    }

    private static Image image(AttributeValue value) {
        if (value == null) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        Image image = new Image(str(m, "key"), str(m, "alt"), str(m, "credit"), str(m, "caption"));
        return m.containsKey("width") ? image.withSize(number(m, "width"), number(m, "height"), renditions(m.get("renditions"))) : image;
    }

    static AttributeValue renditions(List<Image.Rendition> renditions) {
        List<AttributeValue> list = new ArrayList<>();
        for (Image.Rendition rendition : renditions) {
            list.add(AttributeValue.fromM(Map.of("key", s(rendition.key()),
                    "width", AttributeValue.fromN(Integer.toString(rendition.width())),
                    "height", AttributeValue.fromN(Integer.toString(rendition.height())))));
        }
        return AttributeValue.fromL(list);
    }

    static List<Image.Rendition> renditions(AttributeValue value) {
        List<Image.Rendition> renditions = new ArrayList<>();
        if (value != null) {
            for (AttributeValue rendition : value.l()) {
                renditions.add(new Image.Rendition(rendition.m().get("key").s(), number(rendition.m(), "width"), number(rendition.m(), "height")));
            }
        }
        return renditions;
    }

    private static int number(Map<String, AttributeValue> m, String name) {
        return Integer.parseInt(m.get(name).n());
    }

    private static List<String> stringList(AttributeValue value) {
        if (value == null) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        value.l().forEach(v -> strings.add(v.s()));
        return strings;
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(ContentItems::s).toList());
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
