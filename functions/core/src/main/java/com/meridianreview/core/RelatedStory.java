package com.meridianreview.core;

/** A story in another's related list ("keep reading"), with how relevant it was found to be. */
public record RelatedStory(Teaser teaser, double score) {
}
