package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How often the related list is on topic, on {@link RelatedCorpus}, against plain shared-tag
 * counting. Candidates are found as the store will find them: the newest {@value #PER_LISTING}
 * of each of the article's tag, section and region lists, not the whole archive.
 */
class RelatedCorpusTest {

    static final long SEED = 20261127L;
    static final int CORPUS = 2_000;
    static final int SAMPLED = 200;
    static final int TOP = 5;
    static final int PER_LISTING = 50;

    @Test
    void relatedStoriesAreOnTopicAndBeatCountingSharedTags() {
        RelatedCorpus corpus = RelatedCorpus.generate(SEED, CORPUS);
        Map<String, List<RelatedCandidate>> listings = listings(corpus.articles());
        Relevance.TagFrequencies frequencies = Relevance.frequenciesOf(corpus.articles());
        Relevance relevance = new Relevance(RelevanceWeights.DEFAULT);

        List<RelatedCandidate> sample = new ArrayList<>(corpus.articles());
        Collections.shuffle(sample, new Random(SEED));
        sample = sample.subList(0, SAMPLED);

        double ours = 0;
        double baseline = 0;
        for (RelatedCandidate article : sample) {
            List<RelatedCandidate> candidates = candidates(article, listings);
            ours += precision(corpus, article, relevance.rank(article, candidates, frequencies, TOP));
            baseline += precision(corpus, article, relevance.rankBySharedTags(article, candidates, TOP));
        }
        ours /= SAMPLED;
        baseline /= SAMPLED;

        String line = String.format(Locale.ROOT, "precision@%d relevance=%.3f sharedTags=%.3f (%d articles, %d corpus)",
                TOP, ours, baseline, SAMPLED, CORPUS);
        System.out.println(line);
        // System.out goes to the surefire report file; the build log is where a person looks for it.
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8).println(line);

        assertTrue(ours >= 0.9, line);
        assertTrue(ours >= baseline, line);
    }

    /** Every list an article is on, newest first, as the listing index holds them. */
    private static Map<String, List<RelatedCandidate>> listings(List<RelatedCandidate> articles) {
        Map<String, List<RelatedCandidate>> listings = new HashMap<>();
        for (RelatedCandidate article : articles) {
            for (String key : listingKeys(article)) {
                listings.computeIfAbsent(key, k -> new ArrayList<>()).add(article);
            }
        }
        Comparator<RelatedCandidate> newestFirst = Comparator.comparing(RelatedCandidate::publishedAt).reversed()
                .thenComparing(RelatedCandidate::slug);
        listings.values().forEach(list -> list.sort(newestFirst));
        return listings;
    }

    private static List<String> listingKeys(RelatedCandidate article) {
        List<String> keys = new ArrayList<>(article.tagKeys());
        keys.add(Listing.of(Listing.Kind.SECTION, article.section()).key());
        if (article.region() != null) {
            keys.add(Listing.of(Listing.Kind.REGION, article.region()).key());
        }
        return keys;
    }

    /**
     * The first page of each of the article's lists, concatenated as the queries return them: the
     * article itself and stories on several of its lists come back more than once, and the
     * ranking has to cope.
     */
    private static List<RelatedCandidate> candidates(RelatedCandidate article, Map<String, List<RelatedCandidate>> listings) {
        List<RelatedCandidate> candidates = new ArrayList<>();
        for (String key : listingKeys(article)) {
            List<RelatedCandidate> listing = listings.get(key);
            candidates.addAll(listing.subList(0, Math.min(PER_LISTING, listing.size())));
        }
        return candidates;
    }

    /** Share of the top places that are on the article's topic; an empty place counts as a miss. */
    private static double precision(RelatedCorpus corpus, RelatedCandidate article, List<Relevance.Scored> top) {
        int onTopic = 0;
        for (Relevance.Scored scored : top) {
            if (corpus.topicOf(scored.candidate()) == corpus.topicOf(article)) {
                onTopic++;
            }
        }
        return (double) onTopic / TOP;
    }
}
