package com.meridianreview.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner-only page {@value #PATH}: the mail the functions sent through SES, as the SES
 * emulator received it, newest first. The emulator delivers nothing, so this is the only place a
 * developer can read a message, follow its links and check its headers (List-Unsubscribe, say).
 */
final class Outbox {

    static final String PATH = "/_local/outbox";

    /** The answer to a request for the outbox; {@code problem} says why the emulator could not be read, for the runner's log. */
    record Page(int status, String contentType, byte[] body, Map<String, String> headers, String problem) {
    }

    /** A message as the emulator's {@code GET /store} gives it; a missing part is null (an empty list for addresses and headers). */
    record Message(String messageId, Instant at, String from, List<String> to, List<String> cc, List<String> bcc, String subject,
                   String text, String html, List<Header> headers) {
    }

    record Header(String name, String value) {
    }

    /** The emulator lives on loopback: it answers in milliseconds or not at all. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /**
     * A web address in plain text: up to whitespace, or a character that cannot be in a URL and
     * often surrounds one in mail ({@code <https://...>} in List-Unsubscribe, quotes).
     */
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
    /** Punctuation that ends a sentence more often than a URL, as in "see https://example.org/x." */
    private static final String TRAILING = ".,;:!?'";
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
            + "article{border-top:1px solid #ccc;padding:1rem 0}h2{margin:0 0 .5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}"
            + "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;padding:.75rem}";

    private final URI store;
    private final ObjectMapper json;
    private final HttpClient http;

    Outbox(URI sesEndpoint, ObjectMapper json) {
        this.store = sesEndpoint.resolve("/store");
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The outbox as JSON when {@code accept} prefers it, as an HTML page otherwise; a 503 when the emulator does not answer. */
    Page render(String accept) {
        boolean asJson = prefersJson(accept);
        List<Message> messages;
        try {
            messages = fetch();
        } catch (Unreadable e) {
            Map<String, String> headers = Map.of("Cache-Control", "no-store", "Retry-After", Integer.toString(HttpApiGateway.RETRY_AFTER_SECONDS));
            return asJson
                    ? new Page(503, "application/json", "{\"message\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8), headers, e.getMessage())
                    : new Page(503, "text/html; charset=utf-8", unavailablePage().getBytes(StandardCharsets.UTF_8), headers, e.getMessage());
        }
        Map<String, String> headers = Map.of("Cache-Control", "no-store");
        if (asJson) {
            return new Page(200, "application/json", toJson(messages), headers, null);
        }
        return new Page(200, "text/html; charset=utf-8", html(messages).getBytes(StandardCharsets.UTF_8), headers, null);
    }

    /** Why the store could not be read. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** Every message the emulator holds, newest first. */
    List<Message> fetch() throws Unreadable {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(store).timeout(READ_TIMEOUT).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unreadable("the SES emulator at " + store + " does not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted while reading " + store);
        }
        if (response.statusCode() != 200) {
            throw new Unreadable("the SES emulator answered " + response.statusCode() + " for " + store);
        }
        JsonNode emails;
        try {
            emails = json.readTree(response.body()).path("emails");
        } catch (IOException e) {
            throw new Unreadable("the SES emulator's " + store + " is not JSON: " + e.getMessage());
        }
        if (!emails.isArray()) {
            throw new Unreadable("the SES emulator's " + store + " has no list of emails");
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode email : emails) {
            List<Header> headers = new ArrayList<>();
            for (JsonNode header : email.path("headers")) {
                headers.add(new Header(header.path("name").asText(""), header.path("value").asText("")));
            }
            JsonNode destination = email.path("destination");
            messages.add(new Message(text(email, "messageId"), time(email.path("at")),
                    text(email, "from"), addresses(destination.path("to")), addresses(destination.path("cc")), addresses(destination.path("bcc")),
                    text(email, "subject"), text(email.path("body"), "text"), text(email.path("body"), "html"), List.copyOf(headers)));
        }
        // The store keeps messages in the order they arrived; its times are whole seconds, too coarse to sort by.
        Collections.reverse(messages);
        return messages;
    }

    /** The store's time is whole seconds since the epoch; anything else is shown as no time rather than failing the page. */
    private static Instant time(JsonNode at) {
        if (!at.canConvertToLong()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(at.asLong());
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static List<String> addresses(JsonNode list) {
        List<String> addresses = new ArrayList<>();
        list.forEach(address -> addresses.add(address.asText()));
        return List.copyOf(addresses);
    }

    private byte[] toJson(List<Message> messages) {
        ArrayNode array = json.createArrayNode();
        for (Message message : messages) {
            ObjectNode node = array.addObject();
            node.put("messageId", message.messageId());
            node.put("at", message.at() == null ? null : message.at().toString());
            node.put("from", message.from());
            ArrayNode to = node.putArray("to");
            message.to().forEach(to::add);
            ArrayNode cc = node.putArray("cc");
            message.cc().forEach(cc::add);
            ArrayNode bcc = node.putArray("bcc");
            message.bcc().forEach(bcc::add);
            node.put("subject", message.subject());
            node.put("text", message.text());
            node.put("html", message.html());
            ArrayNode headers = node.putArray("headers");
            message.headers().forEach(header -> headers.addObject().put("name", header.name()).put("value", header.value()));
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    static String html(List<Message> messages) {
        StringBuilder page = new StringBuilder(4096);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // An empty icon: without one a browser asks the site for /favicon.ico, which the template's routes answer 404.
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>Outbox (").append(messages.size()).append(messages.size() == 1 ? " message" : " messages").append(")</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>Outbox</h1>\n")
                .append("<p>Mail the functions sent through SES, newest first, as the local SES emulator received it. ")
                .append("None of it was delivered, and it is kept in memory only: it is gone when the runner stops.</p>\n");
        if (messages.isEmpty()) {
            page.append("<p>No mail has been sent yet.</p>\n");
        }
        for (Message message : messages) {
            page.append("<article>\n<h2>").append(escape(message.subject() == null || message.subject().isBlank() ? "(no subject)" : message.subject()))
                    .append("</h2>\n<dl>\n");
            if (message.at() != null) {
                page.append("<dt>Sent</dt><dd><time datetime=\"").append(message.at()).append("\">")
                        .append(SHOWN_TIME.format(message.at())).append("</time></dd>\n");
            }
            field(page, "From", message.from() == null ? "" : message.from());
            field(page, "To", String.join(", ", message.to()));
            if (!message.cc().isEmpty()) {
                field(page, "Cc", String.join(", ", message.cc()));
            }
            if (!message.bcc().isEmpty()) {
                field(page, "Bcc", String.join(", ", message.bcc()));
            }
            for (Header header : message.headers()) {
                // Header values such as List-Unsubscribe carry the addresses a reader's mail program would act on.
                page.append("<dt>").append(escape(header.name())).append("</dt><dd>").append(linked(header.value())).append("</dd>\n");
            }
            field(page, "Message ID", message.messageId() == null ? "" : message.messageId());
            page.append("</dl>\n");
            if (message.text() != null) {
                page.append("<pre>").append(linked(message.text())).append("</pre>\n");
            } else {
                page.append("<p>No text part.</p>\n");
            }
            if (message.html() != null) {
                // Shown as source: the functions' markup, rendered here, could run or fetch whatever it holds.
                page.append("<details><summary>HTML part (source)</summary><pre>").append(escape(message.html())).append("</pre></details>\n");
            }
            page.append("</article>\n");
        }
        return page.append("</body>\n</html>\n").toString();
    }

    private static void field(StringBuilder page, String name, String value) {
        page.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>\n");
    }

    /** {@code text}, escaped, with each http(s) address in it made a link. */
    static String linked(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        Matcher link = LINK.matcher(text);
        int done = 0;
        while (link.find()) {
            String url = link.group();
            int end = url.length();
            while (end > 0 && (TRAILING.indexOf(url.charAt(end - 1)) >= 0 || unbalancedClose(url, end))) {
                end--;
            }
            url = url.substring(0, end);
            if (url.length() <= "https://".length() || !isWebAddress(url)) {
                continue;
            }
            out.append(escape(text.substring(done, link.start())));
            out.append("<a href=\"").append(escape(url)).append("\">").append(escape(url)).append("</a>");
            done = link.start() + url.length();
        }
        return out.append(escape(text.substring(done))).toString();
    }

    /** A closing parenthesis ends "(see https://example.org/a)" but belongs to "https://en.wikipedia.org/wiki/A_(b)". */
    private static boolean unbalancedClose(String url, int end) {
        if (url.charAt(end - 1) != ')') {
            return false;
        }
        long opens = url.substring(0, end).chars().filter(c -> c == '(').count();
        long closes = url.substring(0, end).chars().filter(c -> c == ')').count();
        return closes > opens;
    }

    private static boolean isWebAddress(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String unavailablePage() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Outbox: try again shortly</title></head>
                <body><h1>Try again shortly</h1><p>The local SES emulator does not answer just now, so the outbox cannot be read.</p></body></html>
                """;
    }

    /**
     * Whether an Accept header ranks application/json above text/html: by q value, then by how
     * specifically each is named (the header fetch libraries send names JSON and leaves HTML to
     * the wildcard range). A tie, no header, or one that cannot be read means the page, which is
     * what a browser or curl gets.
     */
    static boolean prefersJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        Preference json = preference(accept, "application", "json");
        Preference html = preference(accept, "text", "html");
        return json.q() > html.q() || (json.q() == html.q() && json.q() > 0 && json.specificity() > html.specificity());
    }

    /** How much a type is wanted, and how specific the range that said so: 2 names it, 1 its type, 0 is the wildcard, -1 none. */
    private record Preference(double q, int specificity) {
    }

    private static Preference preference(String accept, String type, String subtype) {
        Preference best = new Preference(0, -1);
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String[] media = parts[0].trim().toLowerCase(Locale.ROOT).split("/", 2);
            if (media.length != 2) {
                continue;
            }
            int specificity;
            if (media[0].equals(type) && media[1].equals(subtype)) {
                specificity = 2;
            } else if (media[0].equals(type) && media[1].equals("*")) {
                specificity = 1;
            } else if (media[0].equals("*") && media[1].equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].trim().split("=", 2);
                if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("q")) {
                    try {
                        q = Double.parseDouble(parameter[1].trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            // The most specific range that names the type decides its q, as RFC 9110 says.
            if (specificity > best.specificity()) {
                best = new Preference(q, specificity);
            }
        }
        return best;
    }
}
