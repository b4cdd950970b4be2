package com.meridianreview.page;

import com.meridianreview.core.Listing;

/** A feed a page advertises in its head, for feed readers that find feeds from a page's address. */
public record FeedLink(String title, String href) {

    public static FeedLink site(Site site) {
        return new FeedLink(site.name(), site.absolute(Feeds.path(Listing.LATEST)));
    }

    public static FeedLink of(Site site, Listing listing) {
        return listing.kind() == Listing.Kind.LATEST ? site(site) : new FeedLink(site.name() + ": " + listing.name(), site.absolute(Feeds.path(listing)));
    }
}
