package com.meridianreview.page;

import com.meridianreview.core.Listing;
import com.meridianreview.core.Page;
import com.meridianreview.core.Teaser;

/** A page of teasers: the home page, or a section, region, tag or author page. */
public record ListingView(Listing listing, Page<Teaser> page, boolean firstPage) {

    public String heading() {
        return switch (listing.kind()) {
            case LATEST -> "Latest";
            case AUTHOR -> "Stories by " + listing.name();
            default -> listing.name();
        };
    }

    public String olderUrl() {
        return page.nextCursor() == null ? null : listing.url() + "?after=" + java.net.URLEncoder.encode(page.nextCursor(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
