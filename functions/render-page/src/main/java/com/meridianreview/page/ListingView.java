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

    /** The list's own feed first, then the whole site's; the home page's feed is the site's. */
    public java.util.List<FeedLink> feeds(Site site) {
        return listing.kind() == Listing.Kind.LATEST ? java.util.List.of(FeedLink.site(site))
                : java.util.List.of(FeedLink.of(site, listing), FeedLink.site(site));
    }

    public String olderUrl() {
        return page.nextCursor() == null ? null : listing.url() + "?after=" + java.net.URLEncoder.encode(page.nextCursor(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
