package com.meridianreview.core;

import java.time.LocalDate;

/** A correction notice shown at the foot of an article. */
public record Correction(LocalDate date, String text) {
}
