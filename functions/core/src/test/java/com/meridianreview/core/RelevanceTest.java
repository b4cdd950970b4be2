package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelevanceTest {

    private static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");
    private static final Relevance RELEVANCE = new Relevance(RelevanceWeights.DEFAULT);

    /** The article every test asks about, in section Business, about the Middle East. */
    private static final RelatedCandidate ARTICLE = candidate("gulf-grid-deal", "Business", "Middle East", 0, "Energy", "Sanctions", "Analysis");

    /** 1,000 articles: "Sanctions" on few, "Energy" on some, "Analysis" on many. */
    private static final Relevance.TagFrequencies FREQUENCIES = frequencies(1000,
            Map.of("tag#energy", 40L, "tag#sanctions", 8L, "tag#analysis", 400L, "tag#world", 350L));

    @Test
    void theArticleItselfIsNeverRelatedToItself() {
        RelatedCandidate sameSlugEdited = candidate("gulf-grid-deal", "Business", "Middle East", 3, "Energy", "Sanctions");
        RelatedCandidate other = candidate("pipeline-talks", "Business", null, 1, "Energy");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(ARTICLE, sameSlugEdited, other), FREQUENCIES, 10);

        assertEquals(List.of("pipeline-talks"), slugs(related));
        assertEquals(List.of("pipeline-talks"), slugs(RELEVANCE.rankBySharedTags(ARTICLE, List.of(ARTICLE, other), 10)));
    }

    @Test
    void aRareSharedTagOutranksACommonOne() {
        RelatedCandidate common = candidate("markets-weekly", "Culture", null, 0, "Analysis");
        RelatedCandidate rare = candidate("waiver-extended", "Culture", null, 0, "Sanctions");

        assertEquals(List.of("waiver-extended", "markets-weekly"), slugs(RELEVANCE.rank(ARTICLE, List.of(common, rare), FREQUENCIES, 10)));
    }

    @Test
    void twoGenericTagsDoNotOutweighOneSpecificTag() {
        RelatedCandidate generic = candidate("week-in-review", "Culture", null, 0, "Analysis", "World");
        RelatedCandidate specific = candidate("waiver-extended", "Culture", null, 0, "Sanctions");
        RelatedCandidate article = candidate("gulf-grid-deal", "Business", "Middle East", 0, "Sanctions", "Analysis", "World");

        assertEquals(List.of("waiver-extended", "week-in-review"), slugs(RELEVANCE.rank(article, List.of(generic, specific), FREQUENCIES, 10)));
        assertEquals(List.of("week-in-review", "waiver-extended"), slugs(RELEVANCE.rankBySharedTags(article, List.of(generic, specific), 10)),
                "counting tags prefers the generic pair: the failure the idf weighting is there to avoid");
    }

    @Test
    void sameSectionAndSameRegionEachAddTheirBonus() {
        RelatedCandidate neither = candidate("neither", "Culture", "Europe", 0, "Energy");
        RelatedCandidate section = candidate("same-section", "business", "Europe", 0, "Energy");
        RelatedCandidate region = candidate("same-region", "Culture", "middle-east", 0, "Energy");
        RelatedCandidate both = candidate("same-both", "Business", "Middle East", 0, "Energy");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(neither, region, section, both), FREQUENCIES, 10);

        assertEquals(List.of("same-both", "same-section", "same-region", "neither"), slugs(related));
        double base = related.get(3).score();
        assertEquals(base + 0.5 + 0.3, related.get(0).score(), 1e-9);
        assertEquals(base + 0.5, related.get(1).score(), 1e-9);
        assertEquals(base + 0.3, related.get(2).score(), 1e-9);
    }

    @Test
    void aSectionOrRegionAloneIsEnoughButNothingSharedIsNot() {
        RelatedCandidate sectionOnly = candidate("section-only", "Business", "Asia", 0, "Tech");
        RelatedCandidate regionOnly = candidate("region-only", "Culture", "Middle East", 0);
        RelatedCandidate unrelated = candidate("unrelated", "Culture", "Asia", 0, "Film");
        RelatedCandidate noRegions = candidate("no-regions", "Culture", null, 0, "Film");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(sectionOnly, regionOnly, unrelated, noRegions), FREQUENCIES, 10);

        assertEquals(List.of("section-only", "region-only"), slugs(related));
        assertEquals(0.5, related.get(0).score(), 1e-9);
        assertEquals(0.3, related.get(1).score(), 1e-9);
        RelatedCandidate articleWithoutRegion = candidate("no-region", "Travel", null, 0, "Opera");
        assertTrue(RELEVANCE.rank(articleWithoutRegion, List.of(noRegions), FREQUENCIES, 10).isEmpty(), "two missing regions are not a shared region");
    }

    @Test
    void tagsAreComparedAsTheirListsAreKeyed() {
        RelatedCandidate respelled = candidate("respelled", "Culture", null, 0, "energy");
        RelatedCandidate punctuated = candidate("punctuated", "Culture", null, 0, "  SANCTIONS! ");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(respelled, punctuated), FREQUENCIES, 10);

        assertEquals(List.of("punctuated", "respelled"), slugs(related));
        assertEquals(Math.log1p(1000.0 / 9), related.get(0).score(), 1e-9);
        assertEquals(Math.log1p(1000.0 / 41), related.get(1).score(), 1e-9);
    }

    @Test
    void aCandidateDecaysWithDistanceFromTheArticlesDateEitherWay() {
        RelatedCandidate sameDay = candidate("same-day", "Culture", null, 0, "Energy");
        RelatedCandidate halfLifeBefore = candidate("half-life-before", "Culture", null, -180, "Energy");
        RelatedCandidate halfLifeAfter = candidate("half-life-after", "Culture", null, 180, "Energy");
        RelatedCandidate twoHalfLivesBefore = candidate("two-half-lives-before", "Culture", null, -360, "Energy");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(twoHalfLivesBefore, halfLifeBefore, sameDay, halfLifeAfter),
                FREQUENCIES, 10);

        assertEquals(List.of("same-day", "half-life-after", "half-life-before", "two-half-lives-before"), slugs(related));
        double full = related.get(0).score();
        assertEquals(full / 2, related.get(1).score(), 1e-9);
        assertEquals(full / 2, related.get(2).score(), 1e-9);
        assertEquals(full / 4, related.get(3).score(), 1e-9);
    }

    @Test
    void candidatesScoringBelowTheMinimumAreLeftOut() {
        Relevance strict = new Relevance(new RelevanceWeights(0.5, 0.3, 180, 0.4));
        RelatedCandidate sectionOnly = candidate("section-only", "Business", null, 0);
        RelatedCandidate regionOnly = candidate("region-only", "Culture", "Middle East", 0);
        RelatedCandidate oldSection = candidate("old-section", "Business", null, -180);

        assertEquals(List.of("section-only"), slugs(strict.rank(ARTICLE, List.of(sectionOnly, regionOnly, oldSection), FREQUENCIES, 10)));
    }

    @Test
    void equalScoresAreOrderedNewestFirstThenBySlugWhateverTheInputOrder() {
        List<RelatedCandidate> candidates = new ArrayList<>(List.of(
                candidate("b-later", "Culture", null, 10, "Energy"),
                candidate("a-later", "Culture", null, 10, "Energy"),
                candidate("c-earlier", "Culture", null, -10, "Energy"),
                candidate("d-best", "Culture", null, 0, "Energy")));
        List<String> expected = List.of("d-best", "a-later", "b-later", "c-earlier");
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(candidates, random);
            assertEquals(expected, slugs(RELEVANCE.rank(ARTICLE, candidates, FREQUENCIES, 10)));
            assertEquals(List.of("a-later", "b-later", "d-best", "c-earlier"), slugs(RELEVANCE.rankBySharedTags(ARTICLE, candidates, 10)),
                    "one shared tag each: date and slug alone decide");
        }
    }

    @Test
    void noMoreThanTheLimitAreReturnedAndTheyAreTheBest() {
        List<RelatedCandidate> candidates = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            candidates.add(candidate("story-" + day, "Culture", null, -day, "Energy"));
        }

        assertEquals(List.of("story-0", "story-1", "story-2"), slugs(RELEVANCE.rank(ARTICLE, candidates, FREQUENCIES, 3)));
        assertEquals(3, RELEVANCE.rankBySharedTags(ARTICLE, candidates, 3).size());
        assertTrue(RELEVANCE.rank(ARTICLE, candidates, FREQUENCIES, 0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> RELEVANCE.rank(ARTICLE, candidates, FREQUENCIES, -1));
    }

    @Test
    void aCandidateGivenTwiceOrATagSpelledTwiceCountsOnce() {
        RelatedCandidate once = candidate("pipeline-talks", "Culture", null, 0, "Energy");
        RelatedCandidate spelledTwice = candidate("grid-upgrade", "Culture", null, 0, "Energy", "ENERGY", "energy");

        List<Relevance.Scored> related = RELEVANCE.rank(ARTICLE, List.of(once, spelledTwice, once, spelledTwice), FREQUENCIES, 10);

        assertEquals(List.of("grid-upgrade", "pipeline-talks"), slugs(related));
        assertEquals(related.get(0).score(), related.get(1).score(), 1e-12);
        List<Relevance.Scored> counted = RELEVANCE.rankBySharedTags(ARTICLE, List.of(once, spelledTwice, once), 10);
        assertEquals(List.of(1.0, 1.0), counted.stream().map(Relevance.Scored::score).toList());
    }

    @Test
    void tagCountsThatDisagreeNeverMakeAScoreNegative() {
        Relevance.TagFrequencies stale = frequencies(0, Map.of("tag#energy", 5L));
        RelatedCandidate shared = candidate("pipeline-talks", "Culture", null, 0, "Energy");

        List<Relevance.Scored> related = new Relevance(new RelevanceWeights(0.5, 0.3, 180, 0)).rank(ARTICLE, List.of(shared), stale, 10);

        assertEquals(List.of("pipeline-talks"), slugs(related), "a shared tag is still a shared tag");
        assertEquals(0.0, related.get(0).score());
    }

    @Test
    void frequenciesOfACorpusCountEachArticleOncePerTag() {
        Relevance.TagFrequencies counted = Relevance.frequenciesOf(List.of(
                candidate("one", "News", null, 0, "Energy", "energy"),
                candidate("two", "News", null, 0, "Energy", "Sanctions"),
                candidate("two", "News", null, 0, "Energy", "Sanctions")));

        assertEquals(2, counted.documents());
        assertEquals(2, counted.articlesWithTag(RelatedCandidate.tagKey("ENERGY")));
        assertEquals(1, counted.articlesWithTag("tag#sanctions"));
        assertEquals(0, counted.articlesWithTag("tag#film"));
    }

    @Test
    void aCandidateIsMadeFromAnArticle() {
        Article article = Articles.article("quiet-channels", "2026-11-20T09:00:00Z", "Analysis", List.of("Diplomacy", "Oman"));

        RelatedCandidate candidate = RelatedCandidate.of(article);

        assertEquals(new RelatedCandidate("quiet-channels", "Analysis", "Middle East", List.of("Diplomacy", "Oman"),
                Instant.parse("2026-11-20T09:00:00Z")), candidate);
        assertEquals(List.of("tag#diplomacy", "tag#oman"), candidate.tagKeys());
    }

    /** The worked example of docs/related-stories.md: if this changes, so must the page. */
    @Test
    void theDocumentedExampleGivesTheDocumentedNumbers() {
        RelatedCandidate article = candidate("gulf-grid-deal", "Business", "Middle East", 0, "Energy", "Sanctions", "Analysis", "World");
        RelatedCandidate waiver = candidate("sanctions-waiver", "Business", "Europe", -9, "Sanctions", "Analysis");
        RelatedCandidate pipeline = candidate("pipeline-talks", "Business", "Middle East", 90, "energy");
        RelatedCandidate column = candidate("oil-price-column", "Opinion", "Middle East", 0, "Analysis", "World");
        List<RelatedCandidate> candidates = List.of(waiver, pipeline, column);

        List<Relevance.Scored> related = RELEVANCE.rank(article, candidates, FREQUENCIES, 5);

        assertEquals(List.of("sanctions-waiver", "oil-price-column", "pipeline-talks"), slugs(related));
        assertEquals(6.2501, related.get(0).score(), 5e-5);
        assertEquals(2.8988, related.get(1).score(), 5e-5);
        assertEquals(2.8527, related.get(2).score(), 5e-5);
        assertEquals(List.of("oil-price-column", "sanctions-waiver", "pipeline-talks"),
                slugs(RELEVANCE.rankBySharedTags(article, candidates, 5)));
    }

    @Test
    void weightsComeFromTheEnvironmentWithDefaultsForWhatIsUnset() {
        assertEquals(RelevanceWeights.DEFAULT, RelevanceWeights.fromEnvironment(Map.of()));
        assertEquals(new RelevanceWeights(1.0, 0, 30.5, 0.2), RelevanceWeights.fromEnvironment(Map.of(
                "RELATED_SECTION_BONUS", "1", "RELATED_REGION_BONUS", "0", "RELATED_HALF_LIFE_DAYS", " 30.5 ", "RELATED_MIN_SCORE", "0.2")));
        assertEquals(new RelevanceWeights(0.5, 0.3, 90, 0.05), RelevanceWeights.fromEnvironment(Map.of(
                "RELATED_HALF_LIFE_DAYS", "90", "RELATED_SECTION_BONUS", " ")));
    }

    @Test
    void badWeightsAreRefusedNamingTheVariable() {
        assertRefused("RELATED_SECTION_BONUS", "lots");
        assertRefused("RELATED_REGION_BONUS", "-0.1");
        assertRefused("RELATED_HALF_LIFE_DAYS", "0");
        assertRefused("RELATED_HALF_LIFE_DAYS", "NaN");
        assertRefused("RELATED_MIN_SCORE", "Infinity");
        assertRefused("RELATED_MIN_SCORE", "0,5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RelevanceWeights(0.5, 0.3, -1, 0));
        assertTrue(e.getMessage().contains("halfLifeDays"), e.getMessage());
    }

    private static void assertRefused(String variable, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelevanceWeights.fromEnvironment(Map.of(variable, value)), variable + "=" + value);
        assertTrue(e.getMessage().startsWith(variable + " must be"), e.getMessage());
    }

    /** A candidate published {@code days} after (or, negative, before) the test articles' day. */
    private static RelatedCandidate candidate(String slug, String section, String region, int days, String... tags) {
        return new RelatedCandidate(slug, section, region, List.of(tags), DAY.plus(days, ChronoUnit.DAYS));
    }

    private static Relevance.TagFrequencies frequencies(long documents, Map<String, Long> counts) {
        return new Relevance.TagFrequencies() {
            @Override
            public long documents() {
                return documents;
            }

            @Override
            public long articlesWithTag(String tagKey) {
                return counts.getOrDefault(tagKey, 0L);
            }
        };
    }

    private static List<String> slugs(List<Relevance.Scored> ranked) {
        List<String> slugs = new ArrayList<>();
        for (Relevance.Scored scored : ranked) {
            slugs.add(scored.candidate().slug());
        }
        return slugs;
    }
}
