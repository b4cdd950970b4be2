package com.meridianreview.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A made-up archive with a known answer: every article is about one hidden topic, and a good
 * related list is one from the same topic. The tags are what editors actually produce, more or
 * less: a few specific tags of the topic, some far more specific (rarer) than others, plus one to
 * three of a handful of catch-all tags that say nothing about the topic. Sections and regions
 * lean towards a topic without following it, and some stories touch a neighbouring topic.
 *
 * <p>The same seed gives the same archive, so a measured precision is reproducible.
 */
final class RelatedCorpus {

    static final int TOPICS = 20;
    static final int TAGS_PER_TOPIC = 8;
    static final List<String> NOISE_TAGS = List.of("Analysis", "World", "Politics", "Opinion", "Economy");
    /** Catch-all tags are not equally common either: "Analysis" goes on far more stories than "Economy". */
    private static final double[] NOISE_WEIGHTS = {5, 4, 3, 2, 1.5};
    static final List<String> SECTIONS = List.of("News", "Analysis", "Features", "Opinion", "Business", "Culture");
    static final List<String> REGIONS = List.of("Middle East", "Europe", "Africa", "Asia", "Americas", "Gulf", "Levant", "North Africa");

    /** Share of stories that also take a tag of the next topic, as a story on two beats does. */
    private static final double NEIGHBOUR_TAG = 0.15;
    /** How often a story runs in its topic's usual section, or is about its usual region; otherwise any. */
    private static final double HOME_SECTION = 0.4;
    private static final double HOME_REGION = 0.35;
    /** Some stories have no region at all. */
    private static final double NO_REGION = 0.1;
    /** Editors' spelling drifts; the ranking must treat "Topic 3 Tag 1" and "topic 3 tag 1" as one tag. */
    private static final double LOWER_CASE = 0.1;

    static final Instant START = Instant.parse("2024-11-01T00:00:00Z");
    static final Duration SPAN = Duration.ofDays(730);

    private final List<RelatedCandidate> articles;
    private final Map<String, Integer> topics;

    private RelatedCorpus(List<RelatedCandidate> articles, Map<String, Integer> topics) {
        this.articles = List.copyOf(articles);
        this.topics = Map.copyOf(topics);
    }

    static RelatedCorpus generate(long seed, int size) {
        Random random = new Random(seed);
        List<RelatedCandidate> articles = new ArrayList<>(size);
        Map<String, Integer> topics = new HashMap<>();
        for (int i = 0; i < size; i++) {
            int topic = random.nextInt(TOPICS);
            Set<String> tags = new LinkedHashSet<>();
            int topicTags = 1 + random.nextInt(3);
            while (tags.size() < topicTags) {
                tags.add(spelled(topicTag(topic, random), random));
            }
            if (random.nextDouble() < NEIGHBOUR_TAG) {
                tags.add(spelled(topicTag((topic + 1) % TOPICS, random), random));
            }
            int noiseTags = 1 + random.nextInt(3);
            Set<String> noise = new LinkedHashSet<>();
            while (noise.size() < noiseTags) {
                noise.add(NOISE_TAGS.get(weighted(NOISE_WEIGHTS, random)));
            }
            tags.addAll(noise);
            List<String> shuffled = new ArrayList<>(tags);
            Collections.shuffle(shuffled, random);

            String section = SECTIONS.get(random.nextDouble() < HOME_SECTION ? topic % SECTIONS.size() : random.nextInt(SECTIONS.size()));
            String region = random.nextDouble() < NO_REGION ? null
                    : REGIONS.get(random.nextDouble() < HOME_REGION ? (topic * 3) % REGIONS.size() : random.nextInt(REGIONS.size()));
            Instant publishedAt = START.plusSeconds((long) (random.nextDouble() * SPAN.getSeconds()));
            String slug = String.format(Locale.ROOT, "story-%04d", i);
            articles.add(new RelatedCandidate(slug, section, region, shuffled, publishedAt));
            topics.put(slug, topic);
        }
        return new RelatedCorpus(articles, topics);
    }

    List<RelatedCandidate> articles() {
        return articles;
    }

    int topicOf(RelatedCandidate article) {
        Integer topic = topics.get(article.slug());
        if (topic == null) {
            throw new IllegalArgumentException("not in this corpus: " + article.slug());
        }
        return topic;
    }

    /**
     * Within a topic a few tags are on most stories and others on a handful, as with "Iran" and
     * "Natanz": weights 1, 1/2, 1/3 ... over the topic's tags.
     */
    private static String topicTag(int topic, Random random) {
        double[] weights = new double[TAGS_PER_TOPIC];
        for (int k = 0; k < TAGS_PER_TOPIC; k++) {
            weights[k] = 1.0 / (k + 1);
        }
        return String.format(Locale.ROOT, "Topic %d Tag %d", topic, weighted(weights, random));
    }

    private static String spelled(String tag, Random random) {
        return random.nextDouble() < LOWER_CASE ? tag.toLowerCase(Locale.ROOT) : tag;
    }

    private static int weighted(double[] weights, Random random) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
