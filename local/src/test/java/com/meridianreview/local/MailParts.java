package com.meridianreview.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read out of a message in the runner's outbox (its JSON form). */
final class MailParts {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");

    private MailParts() {
    }

    static String header(JsonNode message, String name) {
        for (JsonNode header : message.path("headers")) {
            if (header.path("name").asText().equalsIgnoreCase(name)) {
                return header.path("value").asText();
            }
        }
        throw new AssertionError("no " + name + " header in " + message);
    }

    /** The first link in {@code text} whose address holds {@code path}, with HTML's {@code &amp;} read as {@code &}. */
    static String link(String text, String path) {
        Matcher links = LINK.matcher(text);
        while (links.find()) {
            if (links.group().contains(path)) {
                return links.group().replace("&amp;", "&");
            }
        }
        throw new AssertionError("no link to " + path + " in " + text);
    }
}
