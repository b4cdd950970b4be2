package com.meridianreview.page;

import com.meridianreview.core.Listing;
import com.meridianreview.core.Page;
import com.meridianreview.core.Slugs;
import com.meridianreview.core.Teaser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The front page: the lead story, the latest after it, then a block for each section in the
 * editors' order. Everything comes from one list of the site's newest stories, grouped here, so
 * the page costs one Query however many sections the magazine has. A section with nothing among
 * those stories gets no block (its page is still in the header).
 *
 * @param lead     the newest story, shown large; null while the magazine has none
 * @param olderUrl the list page that continues after the latest shown here, or null
 */
public record FrontPage(Teaser lead, List<Teaser> latest, String olderUrl, List<SectionBlock> sections) {

    static final int LATEST = 6;
    static final int PER_SECTION = 3;

    public FrontPage {
        latest = List.copyOf(latest);
        sections = List.copyOf(sections);
    }

    /**
     * One section's newest stories that the page has not shown above it; {@code teasers} is empty
     * when all of them are in the lead or the latest, and the block then offers the link alone.
     */
    public record SectionBlock(Listing section, List<Teaser> teasers) {

        public SectionBlock {
            teasers = List.copyOf(teasers);
        }

        public String headingId() {
            return "section-" + section.slug();
        }
    }

    static FrontPage of(Page<Teaser> newest, List<Listing> navigation) {
        List<Teaser> stories = newest.items();
        if (stories.isEmpty()) {
            return new FrontPage(null, List.of(), null, List.of());
        }
        // Editors set no lead: the newest story is the one the magazine has just put out.
        Teaser lead = stories.get(0);
        List<Teaser> latest = stories.subList(1, Math.min(stories.size(), 1 + LATEST));
        Teaser lastShown = latest.isEmpty() ? lead : latest.get(latest.size() - 1);
        boolean more = stories.size() > 1 + latest.size() || newest.nextCursor() != null;
        String olderUrl = more ? Listing.LATEST.url() + "?after=" + URLEncoder.encode(cursorAfter(lastShown), StandardCharsets.UTF_8) : null;

        Set<String> shown = new HashSet<>();
        shown.add(lead.slug());
        latest.forEach(teaser -> shown.add(teaser.slug()));
        List<SectionBlock> blocks = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Listing section : navigation) {
            if (!done.add(section.slug())) {
                continue; // named twice in the setting: one block, and ids stay unique
            }
            List<Teaser> inSection = stories.stream().filter(teaser -> isIn(teaser, section)).toList();
            if (!inSection.isEmpty()) {
                blocks.add(new SectionBlock(section,
                        inSection.stream().filter(teaser -> !shown.contains(teaser.slug())).limit(PER_SECTION).toList()));
            }
        }
        return new FrontPage(lead, latest, olderUrl, blocks);
    }

    private static boolean isIn(Teaser teaser, Listing section) {
        return teaser.section() != null && Slugs.of(teaser.section()).equals(section.slug());
    }

    /** The list cursor that starts just after this story, as the table's list pages take it. */
    private static String cursorAfter(Teaser teaser) {
        return teaser.publishedAt().truncatedTo(ChronoUnit.SECONDS) + "#" + teaser.slug();
    }

    public boolean isEmpty() {
        return lead == null;
    }
}
