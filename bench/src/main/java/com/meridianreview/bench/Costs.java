package com.meridianreview.bench;

/**
 * What a million page views that miss the CDN cost at the origin, from measured duration and read
 * capacity. Prices are AWS's published on-demand list prices for us-east-1 (arm64 Lambda, HTTP API
 * first tier, DynamoDB on-demand reads); check them against the current price list before quoting.
 */
final class Costs {

    static final String PRICES = "us-east-1 list prices: Lambda arm64 $0.0000133334/GB-s + $0.20/M requests, HTTP API $1.00/M, DynamoDB $0.125/M read units";
    private static final double LAMBDA_GB_SECOND = 0.0000133334;
    private static final double LAMBDA_PER_MILLION = 0.20;
    private static final double HTTP_API_PER_MILLION = 1.00;
    private static final double READ_UNITS_PER_MILLION = 0.125;

    record PerMillion(String route, long billedMs, double lambda, double httpApi, double dynamoDb, double total) {
    }

    private Costs() {
    }

    /** Lambda bills duration in whole milliseconds, rounded up. */
    static PerMillion perMillion(String route, double durationMs, int memoryMb, double readUnits) {
        long billedMs = (long) Math.ceil(durationMs);
        double lambda = billedMs / 1000.0 * memoryMb / 1024.0 * LAMBDA_GB_SECOND * 1_000_000 + LAMBDA_PER_MILLION;
        double dynamoDb = readUnits * READ_UNITS_PER_MILLION;
        return new PerMillion(route, billedMs, lambda, HTTP_API_PER_MILLION, dynamoDb, lambda + HTTP_API_PER_MILLION + dynamoDb);
    }
}
