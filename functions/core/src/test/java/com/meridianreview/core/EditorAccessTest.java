package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EditorAccessTest {

    private final EditorAccess access = new EditorAccess("cognito:groups", "editors");

    @Test
    void groupsReadTheSameInEveryShapeAProviderSendsThem() {
        for (String claim : List.of("[editors admins]", " [ editors  admins ] ", "editors admins")) {
            assertArrayEquals(new String[] {"editors", "admins"}, EditorAccess.groups(claim), claim);
        }
        assertArrayEquals(new String[] {"editors"}, EditorAccess.groups("editors"));
        assertArrayEquals(new String[0], EditorAccess.groups("[]"));
    }

    @Test
    void onlyAVerifiedMemberOfTheGroupIsAnEditor() {
        assertTrue(access.refusal(request(Map.of("sub", "ana", "cognito:groups", "[admins editors]"))).isEmpty());
        assertEquals(403, access.refusal(request(Map.of("sub", "bo", "cognito:groups", "[editorsx]"))).orElseThrow().status());
        assertEquals(403, access.refusal(request(Map.of("sub", "bo"))).orElseThrow().status());
        assertEquals(403, access.refusal(request(Map.of("sub", "bo", "cognito:groups", "[x,editors]"))).orElseThrow().status(), "names are whole");
        assertEquals(403, access.refusal(request(Map.of("sub", "bo", "cognito:groups", "[\"editors\"]"))).orElseThrow().status());
        // No verified claims at all: the route lost its authorizer, and the function fails closed.
        assertEquals(401, access.refusal(request(Map.of("cognito:groups", "[editors]"))).orElseThrow().status());
    }

    private static HttpApiRequest request(Map<String, String> claims) {
        return new HttpApiRequest("POST /api/editor/uploads", "POST", "/api/editor/uploads", "", Map.of(), Map.of(), Map.of(), List.of(),
                "", false, "r", "127.0.0.1", claims);
    }
}
