package com.meridianreview.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP API route selection: the most specific match wins, as in API Gateway. A literal segment
 * beats a {parameter}, a parameter beats a greedy {proxy+}, a named method beats ANY, and
 * $default catches the rest.
 */
final class RouteTable {

    record Match(SamApplication.Route route, FunctionPool function, Map<String, String> pathParameters) {
    }

    private record Entry(SamApplication.Route route, FunctionPool function, String[] segments) {
    }

    private final List<Entry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();

    void add(SamApplication.Route route, FunctionPool function) {
        for (Entry existing : entries) {
            if (existing.route().routeKey().equals(route.routeKey())) {
                throw new TemplateException("route " + route.routeKey() + " is declared by both "
                        + existing.function().function().logicalId() + " and " + function.function().logicalId());
            }
        }
        entries.add(new Entry(route, function, segments(route.path())));
    }

    Optional<Match> match(String method, String path) {
        String[] request = segments(path);
        Match best = null;
        int bestScore = Integer.MIN_VALUE;
        for (Entry entry : entries) {
            if (entry.route().path().equals("$default")) {
                continue;
            }
            if (!entry.route().method().equals("ANY") && !entry.route().method().equals(method)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int score = score(entry.segments(), request, parameters);
            if (score == Integer.MIN_VALUE) {
                continue;
            }
            score = score * 2 + (entry.route().method().equals("ANY") ? 0 : 1);
            if (score > bestScore) {
                bestScore = score;
                best = new Match(entry.route(), entry.function(), parameters);
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        return entries.stream().filter(e -> e.route().path().equals("$default")).findFirst()
                .map(e -> new Match(e.route(), e.function(), Map.of()));
    }

    private static int score(String[] route, String[] request, Map<String, String> parameters) {
        int score = 0;
        for (int i = 0; i < route.length; i++) {
            String segment = route[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= request.length) {
                    return Integer.MIN_VALUE;
                }
                parameters.put(segment.substring(1, segment.length() - 2), decode(String.join("/", java.util.Arrays.copyOfRange(request, i, request.length))));
                return score;
            }
            if (i >= request.length) {
                return Integer.MIN_VALUE;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), decode(request[i]));
                score += 100;
            } else if (segment.equals(request[i])) {
                score += 1000;
            } else {
                return Integer.MIN_VALUE;
            }
        }
        return route.length == request.length ? score + 1 : Integer.MIN_VALUE;
    }

    private static String[] segments(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
