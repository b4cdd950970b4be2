package com.meridianreview.newsletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.meridianreview.core.Problem;
import com.meridianreview.subscribers.EmailAddress;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A signup as the box sends it, form-encoded (JavaScript off) or JSON (the box's script): the
 * address, an optional name, the list, the version of the consent text the reader saw, the page
 * the box was on, and the honeypot field that people never see and bots fill in.
 */
record Signup(EmailAddress email, String name, String list, String consentVersion, String page, boolean honeypot) {

    static final int MAX_BODY_BYTES = 8 * 1024;
    static final String HONEYPOT = "website";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    private static final Pattern PAGE = Pattern.compile("/[A-Za-z0-9/._~%-]{0,199}");

    /** The signup, or every field that is wrong. */
    record Parsed(Signup signup, List<Problem.FieldError> errors) {
    }

    static Parsed parse(String body, boolean json, Set<String> lists, Set<String> consentVersions, JsonFactory factory) {
        Map<String, String> fields;
        List<Problem.FieldError> errors = new ArrayList<>();
        try {
            fields = json ? json(body, factory) : form(body);
        } catch (IOException | IllegalArgumentException e) {
            return new Parsed(null, List.of(new Problem.FieldError("body", json ? "the body is not a JSON object of text fields" : "the form could not be read")));
        }
        EmailAddress.Result email = EmailAddress.parse(fields.get("email"));
        if (email.address().isEmpty()) {
            errors.add(new Problem.FieldError("email", email.problem()));
        }
        String name = fields.getOrDefault("name", "").strip();
        if (name.length() > 100 || CONTROL.matcher(name).find()) {
            errors.add(new Problem.FieldError("name", "a name is at most 100 characters, without control characters"));
        }
        String list = fields.getOrDefault("list", "").strip();
        if (list.isEmpty() && lists.size() == 1) {
            list = lists.iterator().next();
        }
        if (!lists.contains(list)) {
            errors.add(new Problem.FieldError("list", "choose one of: " + String.join(", ", new java.util.TreeSet<>(lists))));
        }
        String consent = fields.getOrDefault("consentVersion", "").strip();
        if (!consentVersions.contains(consent)) {
            errors.add(new Problem.FieldError("consentVersion", "the consent text shown with the form is out of date: reload the page and try again"));
        }
        String page = fields.getOrDefault("page", "").strip();
        if (!page.isEmpty() && !PAGE.matcher(page).matches()) {
            page = "";
        }
        boolean honeypot = !fields.getOrDefault(HONEYPOT, "").isBlank();
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new Signup(email.address().get(), name.isEmpty() ? null : name, list, consent, page.isEmpty() ? null : page, honeypot), List.of());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            // A repeated field is not two answers: the first one counts.
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static Map<String, String> json(String body, JsonFactory factory) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    fields.putIfAbsent(name, parser.getText());
                } else if (value == JsonToken.VALUE_NULL) {
                    continue;
                } else if (value.isScalarValue()) {
                    fields.putIfAbsent(name, parser.getText());
                } else {
                    throw new IOException(name + " is not text");
                }
            }
            if (parser.nextToken() != null) {
                throw new IOException("more after the object");
            }
        } catch (JsonProcessingException e) {
            throw new IOException(e.getOriginalMessage());
        }
        return fields;
    }
}
