package com.meridianreview.digest;

import java.time.LocalDate;
import java.util.List;

/**
 * One week's round-up as a reader sees it: the lead story, then the rest of the week's stories
 * grouped by section. Links are absolute and carry the campaign's parameters. Public for the
 * precompiled template only.
 */
public record RoundUp(String list, LocalDate date, String siteName, String siteUrl, Story lead, List<SectionBlock> sections, String browserUrl) {

    /** A story as the round-up shows it; {@code image} is absent when the story has none. */
    public record Story(String headline, String dek, String section, String link, Picture image) {
    }

    /** An image laid out at a fixed width: mail clients need its size up front. */
    public record Picture(String url, int width, int height, String alt) {
    }

    public record SectionBlock(String name, String link, List<Story> stories) {
    }

    public RoundUp {
        sections = List.copyOf(sections);
    }

    public int storyCount() {
        return 1 + sections.stream().mapToInt(section -> section.stories().size()).sum();
    }

    public String subject() {
        return siteName + " weekly: " + lead.headline();
    }

    public String preheader() {
        return lead.dek() == null || lead.dek().isBlank() ? lead.headline() : lead.dek();
    }
}
