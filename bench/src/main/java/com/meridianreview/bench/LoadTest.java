package com.meridianreview.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded closed-loop load test of the local runner over HTTP on loopback: a fixed number of
 * clients, each sending its next request when the last one is answered, for a fixed time or
 * request budget, whichever ends first.
 */
final class LoadTest {

    record Result(int clients, double seconds, int requests, int failures, double requestsPerSecond, Stats latencyMs) {
    }

    Result run(int port, List<String> paths, int clients, Duration duration, int maxRequests) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger budget = new AtomicInteger(maxRequests);
        AtomicInteger failures = new AtomicInteger();
        double[][] latencies = new double[clients][];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + duration.toNanos();
        long began = System.nanoTime();
        try {
            List<Future<double[]>> results = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int offset = c;
                results.add(pool.submit(() -> {
                    double[] mine = new double[maxRequests];
                    int n = 0;
                    while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                        String path = paths.get((offset + n) % paths.size());
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10)).build();
                        long start = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        mine[n++] = (System.nanoTime() - start) / 1e6;
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    }
                    return java.util.Arrays.copyOf(mine, n);
                }));
            }
            for (int c = 0; c < clients; c++) {
                latencies[c] = results.get(c).get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        double[] all = java.util.Arrays.stream(latencies).flatMapToDouble(java.util.Arrays::stream).toArray();
        return new Result(clients, seconds, all.length, failures.get(), all.length / seconds, Stats.of(all));
    }
}
