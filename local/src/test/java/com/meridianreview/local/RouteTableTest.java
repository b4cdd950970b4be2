package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route selection follows API Gateway's: the most specific route wins. */
class RouteTableTest {

    private final RouteTable routes = new RouteTable();

    RouteTableTest() {
        for (String[] route : new String[][] {{"GET", "/articles/{slug}"}, {"GET", "/articles/latest"}, {"ANY", "/files/{path+}"},
                {"POST", "/files/{path+}"}, {"GET", "/"}}) {
            routes.add(new SamApplication.Route(route[0], route[1]), null);
        }
    }

    @Test
    void literalSegmentsBeatParametersAndNamedMethodsBeatAny() {
        assertEquals("GET /articles/latest", routes.match("GET", "/articles/latest").orElseThrow().route().routeKey());
        RouteTable.Match article = routes.match("GET", "/articles/quiet-channels").orElseThrow();
        assertEquals("GET /articles/{slug}", article.route().routeKey());
        assertEquals(Map.of("slug", "quiet-channels"), article.pathParameters());
        assertEquals("POST /files/{path+}", routes.match("POST", "/files/a/b.jpg").orElseThrow().route().routeKey());
        RouteTable.Match greedy = routes.match("GET", "/files/a/b%20c.jpg").orElseThrow();
        assertEquals("ANY /files/{path+}", greedy.route().routeKey());
        assertEquals(Map.of("path", "a/b c.jpg"), greedy.pathParameters());
        assertEquals("GET /", routes.match("GET", "/").orElseThrow().route().routeKey());
    }

    @Test
    void withoutADefaultRouteOtherRequestsMatchNothing() {
        assertTrue(routes.match("GET", "/articles/a/b").isEmpty());
        assertTrue(routes.match("DELETE", "/articles/x").isEmpty());
        routes.add(new SamApplication.Route("ANY", "$default"), null);
        assertEquals("$default", routes.match("DELETE", "/articles/x").orElseThrow().route().routeKey());
    }
}
