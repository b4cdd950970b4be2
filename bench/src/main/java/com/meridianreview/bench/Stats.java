package com.meridianreview.bench;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics of a sample: the median and spread that the tables report. */
record Stats(int count, double min, double p50, double p90, double p99, double max) {

    static Stats of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, sorted[0], at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    String medianAndRange(String unit) {
        String number = p50 < 10 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, number + " %s (" + number + "-" + number + ", n=%d)", p50, unit, min, max, count);
    }
}
