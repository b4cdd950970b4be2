package com.meridianreview.core;

/** A page of one list, with the list named as readers see it. */
public record ListingPage(Listing listing, Page<Teaser> page) {
}
