package com.meridianreview.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Ranks candidate articles as "related stories" of an article.
 *
 * <p>score = (Σ idf(shared tag) + sectionBonus·[same section] + regionBonus·[same region]) × freshness,
 * with idf(t) = ln(1 + N / (1 + df(t))) and freshness = 0.5^(|Δdays| / halfLifeDays). The formula,
 * its weights and how well it does are in docs/related-stories.md.
 *
 * <p>Freshness is measured from the article's own publication time, not from now: an article's
 * related list is the same whenever it is computed, so it can be computed once, at publish.
 */
public final class Relevance {

    private static final double SECONDS_PER_DAY = 86_400.0;

    /** Best first; equal scores newest first, then by slug, so that a list never reshuffles between runs. */
    private static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed()
            .thenComparing((Scored scored) -> scored.candidate().publishedAt(), Comparator.reverseOrder())
            .thenComparing(scored -> scored.candidate().slug());

    private final RelevanceWeights weights;

    public Relevance(RelevanceWeights weights) {
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** A candidate and what it scored. */
    public record Scored(RelatedCandidate candidate, double score) {
        public Scored {
            Objects.requireNonNull(candidate, "candidate");
        }
    }

    /**
     * How common each tag is across the published articles. An interface so that the store can
     * answer from counts it keeps, rather than anyone counting the whole table at publish.
     */
    public interface TagFrequencies {

        /** N: how many published articles there are. */
        long documents();

        /** df: how many of them carry the tag with this key ({@link RelatedCandidate#tagKey}). */
        long articlesWithTag(String tagKey);
    }

    /**
     * Counts over the given articles, each slug once. For tests and small corpora: the store keeps
     * its own counts.
     */
    public static TagFrequencies frequenciesOf(Collection<RelatedCandidate> corpus) {
        Set<String> slugs = new HashSet<>();
        Map<String, Long> counts = new HashMap<>();
        for (RelatedCandidate article : corpus) {
            if (slugs.add(article.slug())) {
                for (String key : article.tagKeys()) {
                    counts.merge(key, 1L, Long::sum);
                }
            }
        }
        return new CountedFrequencies(slugs.size(), Map.copyOf(counts));
    }

    private record CountedFrequencies(long documents, Map<String, Long> counts) implements TagFrequencies {
        @Override
        public long articlesWithTag(String tagKey) {
            return counts.getOrDefault(tagKey, 0L);
        }
    }

    /**
     * Up to {@code limit} of {@code candidates}, best first. Leaves out the article itself, any
     * candidate sharing neither a tag nor the section nor the region, and any scoring below the
     * minimum; a slug given more than once counts once (its first copy).
     *
     * <p>{@code frequencies} is asked about the article's own tags only, once each: no other tag
     * can be shared.
     */
    public List<Scored> rank(RelatedCandidate article, Collection<RelatedCandidate> candidates, TagFrequencies frequencies, int limit) {
        Objects.requireNonNull(article, "article");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(frequencies, "frequencies");
        requireLimit(limit);
        // Clamped so that counts that disagree (a store's counters lag its listings) can make a
        // tag count for little, but never against a candidate.
        double documents = Math.max(0, frequencies.documents());
        Map<String, Double> idf = new HashMap<>();
        for (String key : article.tagKeys()) {
            double df = Math.max(0, frequencies.articlesWithTag(key));
            idf.put(key, Math.log1p(documents / (1 + df)));
        }

        Keys keys = new Keys();
        String section = keys.place(article.section());
        String region = keys.place(article.region());
        Set<String> seen = new HashSet<>();
        seen.add(article.slug());
        Set<String> shared = new HashSet<>();
        List<Scored> scored = new ArrayList<>();
        for (RelatedCandidate candidate : candidates) {
            if (!seen.add(candidate.slug())) {
                continue;
            }
            double tagScore = 0;
            shared.clear();
            for (String tag : candidate.tags()) {
                String key = keys.tag(tag);
                Double weight = idf.get(key);
                if (weight != null && shared.add(key)) {
                    tagScore += weight;
                }
            }
            boolean sameSection = section != null && section.equals(keys.place(candidate.section()));
            boolean sameRegion = region != null && region.equals(keys.place(candidate.region()));
            if (shared.isEmpty() && !sameSection && !sameRegion) {
                continue;
            }
            double score = (tagScore + (sameSection ? weights.sectionBonus() : 0) + (sameRegion ? weights.regionBonus() : 0))
                    * freshness(article.publishedAt(), candidate.publishedAt());
            if (score >= weights.minimumScore()) {
                scored.add(new Scored(candidate, score));
            }
        }
        return best(scored, limit);
    }

    /**
     * The baseline {@link #rank} is measured against: how many tags a candidate shares, nothing
     * else. Same exclusions (bar the minimum score) and the same order among equals.
     */
    public List<Scored> rankBySharedTags(RelatedCandidate article, Collection<RelatedCandidate> candidates, int limit) {
        Objects.requireNonNull(article, "article");
        Objects.requireNonNull(candidates, "candidates");
        requireLimit(limit);
        Set<String> articleTags = new HashSet<>(article.tagKeys());
        Keys keys = new Keys();
        Set<String> seen = new HashSet<>();
        seen.add(article.slug());
        Set<String> shared = new HashSet<>();
        List<Scored> scored = new ArrayList<>();
        for (RelatedCandidate candidate : candidates) {
            if (!seen.add(candidate.slug())) {
                continue;
            }
            shared.clear();
            for (String tag : candidate.tags()) {
                String key = keys.tag(tag);
                if (articleTags.contains(key)) {
                    shared.add(key);
                }
            }
            if (!shared.isEmpty()) {
                scored.add(new Scored(candidate, shared.size()));
            }
        }
        return best(scored, limit);
    }

    /** 1 on the article's own date, halving every {@code halfLifeDays} before or after it. */
    private double freshness(Instant article, Instant candidate) {
        double days = Math.abs(Duration.between(article, candidate).getSeconds()) / SECONDS_PER_DAY;
        return Math.pow(0.5, days / weights.halfLifeDays());
    }

    private static List<Scored> best(List<Scored> scored, int limit) {
        scored.sort(BEST_FIRST);
        return List.copyOf(scored.subList(0, Math.min(limit, scored.size())));
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, but is " + limit);
        }
    }

    /**
     * Listing keys of the names met in one ranking. Candidates drawn from a few listings repeat
     * the same handful of tags, sections and regions, and making a slug is the costly part of
     * comparing them.
     */
    private static final class Keys {

        private final Map<String, String> tags = new HashMap<>();
        private final Map<String, String> places = new HashMap<>();

        String tag(String tag) {
            return tags.computeIfAbsent(tag, RelatedCandidate::tagKey);
        }

        /** The slug of a section or region, or null when there is none to match on. */
        String place(String name) {
            if (name == null) {
                return null;
            }
            String slug = places.computeIfAbsent(name, Slugs::of);
            return slug.isEmpty() ? null : slug;
        }
    }
}
