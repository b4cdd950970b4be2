package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiCodecTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpApiCodec codec = new HttpApiCodec(json.getFactory());

    @Test
    void readsAnHttpApiPayloadV2Event() throws IOException {
        HttpApiRequest request;
        // The sample event of infra/events, which `sam local invoke` can also use.
        try (InputStream event = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../../infra/events/get-article.json"))) {
            request = codec.read(event);
        }
        assertEquals("GET /articles/{slug}", request.routeKey());
        assertEquals("GET", request.method());
        assertEquals("/articles/quiet-channels-reopen-between-gulf-rivals", request.rawPath());
        assertEquals("quiet-channels-reopen-between-gulf-rivals", request.pathParameter("slug").orElseThrow());
        assertEquals("a,b", request.query("utm").orElseThrow());
        assertEquals("\"abc\"", request.header("If-None-Match").orElseThrow());
        assertEquals(List.of("session=abc", "theme=dark"), request.cookies());
        assertEquals("Jp1bYgxXoAMEPxw=", request.requestId());
        assertEquals("198.51.100.7", request.sourceIp());
    }

    @Test
    void readsTheClaimsAJwtAuthorizerVerified() throws IOException {
        String event = "{\"rawPath\":\"/api/editor/uploads\",\"requestContext\":{\"authorizer\":{\"jwt\":{\"claims\":"
                + "{\"sub\":\"ana\",\"cognito:groups\":\"[editors admins]\",\"exp\":\"1795672191\"},\"scopes\":null}},\"requestId\":\"r1\"}}";
        HttpApiRequest request = codec.read(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
        assertEquals("ana", request.claim("sub").orElseThrow());
        assertEquals("[editors admins]", request.claim("cognito:groups").orElseThrow());
        assertEquals("r1", request.requestId());
        assertTrue(codec.read(new ByteArrayInputStream("{\"rawPath\":\"/\"}".getBytes(StandardCharsets.UTF_8))).claims().isEmpty(),
                "an open route has no claims");
    }

    @Test
    void decodesBase64Bodies() throws IOException {
        String event = "{\"rawPath\":\"/x\",\"body\":\"ZW1haWw9YSU0MGIuZXhhbXBsZQ==\",\"isBase64Encoded\":true}";
        HttpApiRequest request = codec.read(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
        assertEquals("email=a%40b.example", request.bodyText());
    }

    @Test
    void refusesSomethingThatIsNotAnEvent() {
        assertThrows(IOException.class, () -> codec.read(new ByteArrayInputStream("[1,2]".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void writesTheResponseApiGatewayExpects() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(new HttpApiResponse(302, Map.of("location", "/"), List.of("a=1; Secure"), "<p>é</p>", false), out);
        JsonNode written = json.readTree(out.toByteArray());
        assertEquals(302, written.get("statusCode").asInt());
        assertEquals("/", written.get("headers").get("location").asText());
        assertEquals("a=1; Secure", written.get("cookies").get(0).asText());
        assertEquals("<p>é</p>", written.get("body").asText());
        assertTrue(written.has("isBase64Encoded"));
    }
}
