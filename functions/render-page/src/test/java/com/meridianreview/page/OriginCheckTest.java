package com.meridianreview.page;

import com.meridianreview.core.OriginCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.HttpApiRequest;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Only requests that come through the CDN, which adds the secret header, get pages when a secret is set. */
@ExtendWith(EmulatorsExtension.class)
class OriginCheckTest {

    private static final String CURRENT = "c".repeat(40);
    private static final String PREVIOUS = "p".repeat(40);

    @Test
    void withoutASecretEveryRequestPasses() {
        assertTrue(new OriginCheck(null).admits(request(Map.of())));
        assertTrue(new OriginCheck("").admits(request(Map.of())));
    }

    @Test
    void withSecretsOnlyAMatchingHeaderPasses() {
        OriginCheck check = new OriginCheck(CURRENT + "," + PREVIOUS);
        assertTrue(check.admits(request(Map.of("x-origin-verify", CURRENT))));
        assertTrue(check.admits(request(Map.of("x-origin-verify", PREVIOUS))), "the old secret still passes while a new one rolls out");
        assertFalse(check.admits(request(Map.of())));
        assertFalse(check.admits(request(Map.of("x-origin-verify", CURRENT.substring(1)))));
        assertFalse(check.admits(request(Map.of("x-origin-verify", CURRENT + "," + PREVIOUS))));
    }

    @Test
    void theApisOwnAddressGetsAForbiddenPageAndTheCdnThePage(TestResources resources) throws IOException {
        DynamoDbClient dynamoDb = DynamoDbFixtures.client(resources.emulators());
        String table = resources.name("content");
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        new ContentStore(dynamoDb, table).publish(Articles.article("a-story", "2026-11-20T08:00:00Z", "Analysis", List.of("Trade")));
        PageHandler handler = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "ORIGIN_SECRETS", CURRENT)), dynamoDb);

        JsonNode direct = invoke(handler, Map.of());
        assertEquals(403, direct.get("statusCode").asInt());
        assertTrue(direct.get("body").asText().contains("<h1>Read this page on the magazine&#39;s site</h1>")
                || direct.get("body").asText().contains("<h1>Read this page on the magazine's site</h1>"), direct.get("body").asText());

        assertEquals(200, invoke(handler, Map.of("x-origin-verify", CURRENT)).get("statusCode").asInt());
    }

    private static JsonNode invoke(PageHandler handler, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /articles/{slug}", "/articles/a-story",
                Map.of("slug", "a-story"), Map.of(), headers)), out, null);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    private static HttpApiRequest request(Map<String, String> headers) {
        return new HttpApiRequest("GET /", "GET", "/", "", headers, Map.of(), Map.of(), List.of(), null, false, "r", "127.0.0.1", Map.of());
    }
}
