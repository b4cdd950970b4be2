package com.meridianreview.digest;

import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Image;
import com.meridianreview.core.Listing;
import com.meridianreview.core.Slugs;
import com.meridianreview.core.Teaser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the week's stories: published in the seven days before the time, newest first,
 * from the site-wide latest list (which never holds drafts, scheduled or withdrawn stories).
 * The newest is the lead; the others are grouped by section in the editors' section order, any
 * section not in that order after them, newest section first.
 */
final class RoundUpComposer {

    /**
     * More than a busy week's stories; it also keeps the stored issue (its HTML, text and page,
     * about 4 KB a story at most) below DynamoDB's 400 KB item limit.
     */
    static final int MAX_STORIES = 50;
    static final int LEAD_WIDTH = 560;
    static final int THUMBNAIL_WIDTH = 120;

    private final ContentStore content;
    private final String siteName;
    private final String siteUrl;
    private final String imageBaseUrl;
    private final List<String> sectionOrder;
    private final ZoneId zone;

    RoundUpComposer(ContentStore content, String siteName, String siteUrl, String imageBaseUrl, List<String> sectionOrder, ZoneId zone) {
        this.content = content;
        this.siteName = siteName;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        String images = imageBaseUrl.endsWith("/") ? imageBaseUrl : imageBaseUrl + "/";
        this.imageBaseUrl = images.startsWith("http") ? images : this.siteUrl + images;
        this.sectionOrder = List.copyOf(sectionOrder);
        this.zone = zone;
    }

    /** The round-up of the week that ends at {@code until}; empty when nothing was published that week. */
    Optional<RoundUp> compose(String list, LocalDate date, Instant until) {
        // A calendar week in the magazine's zone: across a clock change it is 167 or 169 hours, and
        // the issues still meet without a gap or an overlap.
        Instant from = until.atZone(zone).minusWeeks(1).toInstant();
        List<Teaser> week = new ArrayList<>();
        for (Teaser teaser : content.teasers(Listing.LATEST, MAX_STORIES, null).items()) {
            if (!teaser.publishedAt().isAfter(until) && teaser.publishedAt().isAfter(from)) {
                week.add(teaser);
            }
        }
        if (week.isEmpty()) {
            return Optional.empty();
        }
        String campaign = "utm_source=newsletter&utm_medium=email&utm_campaign=" + list + "-" + date;
        Teaser leadTeaser = week.get(0);
        RoundUp.Story lead = story(leadTeaser, campaign, LEAD_WIDTH);
        Map<String, List<RoundUp.Story>> bySection = new LinkedHashMap<>();
        for (String section : sectionOrder) {
            bySection.put(section, new ArrayList<>());
        }
        for (Teaser teaser : week.subList(1, week.size())) {
            bySection.computeIfAbsent(teaser.section(), name -> new ArrayList<>()).add(story(teaser, campaign, THUMBNAIL_WIDTH));
        }
        List<RoundUp.SectionBlock> sections = new ArrayList<>();
        bySection.forEach((name, stories) -> {
            if (!stories.isEmpty()) {
                sections.add(new RoundUp.SectionBlock(name, siteUrl + "/sections/" + Slugs.of(name) + "?" + campaign, stories));
            }
        });
        return Optional.of(new RoundUp(list, date, siteName, siteUrl, lead, sections, siteUrl + "/newsletter/issues/" + date));
    }

    private RoundUp.Story story(Teaser teaser, String campaign, int width) {
        return new RoundUp.Story(teaser.headline(), teaser.dek(), teaser.section(), siteUrl + "/articles/" + teaser.slug() + "?" + campaign,
                picture(teaser.image(), width));
    }

    /**
     * The smallest rendition at least twice the shown width (sharp on high-density screens), or
     * the largest there is; no picture for an image whose size is not known yet.
     */
    private RoundUp.Picture picture(Image image, int width) {
        if (image == null || !image.hasSize()) {
            return null;
        }
        String key = image.key();
        Image.Rendition best = null;
        for (Image.Rendition rendition : image.renditions()) {
            if (rendition.width() >= 2 * width && (best == null || rendition.width() < best.width())) {
                best = rendition;
            }
        }
        if (best != null) {
            key = best.key();
        }
        int height = Math.max(1, Math.round((float) width * image.height() / image.width()));
        return new RoundUp.Picture(imageBaseUrl + key, width, height, image.alt() == null ? "" : image.alt());
    }
}
