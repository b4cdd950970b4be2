package com.meridianreview.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.newsletter.InProcessNewsletterHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests for the newsletter function in which no two readers are alike. A signup is limited to
 * 20 an hour per client address and 5 an hour per email address, and a second signup of an address
 * does less work than a first (no new subscriber, often no mail), so every signup here is a new
 * address from a new client address; and every confirmation is of a different pending subscriber.
 * The client address is given both as the connection's and in CloudFront-Viewer-Address, since the
 * function believes the header only behind the CDN (with an origin secret), which locally it is not.
 */
final class NewsletterEvents {

    static final String SIGNUP = "POST /api/newsletter/subscriptions";
    static final String CONFIRM = "POST /newsletter/confirm";
    private static final Pattern CONFIRM_LINK = Pattern.compile("https?://\\S+/newsletter/confirm\\?token=([A-Za-z0-9._-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;
    private final String consentVersion;
    // Addresses are unique across runs too, should a run ever keep its emulators' data.
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private int addresses;
    private int coldClients;
    private int warmClients;
    private final List<String> signedUp = new ArrayList<>();

    NewsletterEvents(Map<String, String> environment) {
        this.environment = environment;
        this.consentVersion = environment.getOrDefault("CONSENT_VERSIONS", "2026-11").split(",")[0].strip();
    }

    /** A signup for a cold start: clients from 198.51.100.0/24 (TEST-NET-2), one per signup. */
    synchronized byte[] coldSignup() {
        if (++coldClients > 254) {
            throw new IllegalStateException("more cold signups than client addresses in 198.51.100.0/24");
        }
        return signup(nextAddress(), "198.51.100." + coldClients);
    }

    /**
     * A signup for warm timing: clients from 198.18.0.0/15, the range set aside for benchmarks
     * (RFC 2544), one per signup. The address is remembered for {@link #confirmations}.
     */
    synchronized byte[] warmSignup() {
        int n = ++warmClients;
        if (n >= 1 << 17) {
            throw new IllegalStateException("more warm signups than client addresses in 198.18.0.0/15");
        }
        String address = nextAddress();
        signedUp.add(address);
        return signup(address, "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 255) + "." + (n & 255));
    }

    /** One confirmation for each address {@link #warmSignup} gave so far, in the same order: the form the confirm page posts. */
    synchronized List<byte[]> confirmations() throws Exception {
        Function<String, String> tokens = InProcessNewsletterHandler.confirmationTokens(environment);
        List<byte[]> events = new ArrayList<>(signedUp.size());
        for (String address : signedUp) {
            events.add(confirmation(tokens.apply(address)));
        }
        return events;
    }

    /**
     * Signs one address up through {@code warm} and checks that the link the SES emulator received
     * for it names what {@link #confirmations} builds (subscriber, list, nonce), so that the timed
     * confirmations are what a reader's click sends.
     */
    void checkConfirmationLink(WarmInvocations warm, URI sesEndpoint) throws Exception {
        String address = nextAddress();
        byte[] event = signup(address, "192.0.2.1");
        String answer = warm.invoke(event).toString(StandardCharsets.UTF_8);
        if (!answer.startsWith("{\"statusCode\":202,")) {
            throw new IllegalStateException("the newsletter signup did not answer 202: " + answer);
        }
        HttpResponse<byte[]> store = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sesEndpoint.resolve("/store"))
                .timeout(Duration.ofSeconds(30)).header("accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (store.statusCode() != 200) {
            throw new IllegalStateException("the SES emulator answered " + store.statusCode() + " for /store");
        }
        String mailed = null;
        for (JsonNode email : JSON.readTree(store.body()).path("emails")) {
            boolean toAddress = false;
            for (JsonNode to : email.path("destination").path("to")) {
                toAddress |= to.asText().equalsIgnoreCase(address);
            }
            Matcher link = CONFIRM_LINK.matcher(email.path("body").path("text").asText(""));
            if (toAddress && link.find()) {
                mailed = link.group(1);
            }
        }
        if (mailed == null) {
            throw new IllegalStateException("the SES emulator holds no confirmation link for " + address);
        }
        String built = InProcessNewsletterHandler.confirmationTokens(environment).apply(address);
        String mailedParts = InProcessNewsletterHandler.confirmationParts(environment, mailed);
        if (mailedParts == null || !mailedParts.equals(InProcessNewsletterHandler.confirmationParts(environment, built))) {
            throw new IllegalStateException("the mailed confirmation link " + mailed + " does not name what the bench builds: " + built);
        }
    }

    private String nextAddress() {
        return "bench-" + run + "-" + (++addresses) + "@example.org";
    }

    private byte[] signup(String address, String clientIp) {
        String body = "{\"email\":\"" + address + "\",\"consentVersion\":\"" + consentVersion + "\"}";
        try {
            return WarmInvocations.event(SIGNUP, "/api/newsletter/subscriptions", Map.of(), Map.of(), body, Map.of(), "application/json",
                    Map.of("cloudfront-viewer-address", clientIp + ":443"), clientIp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] confirmation(String token) throws Exception {
        return WarmInvocations.event(CONFIRM, "/newsletter/confirm", Map.of(), Map.of(), "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of(), "text/html", Map.of("content-type", "application/x-www-form-urlencoded"), "127.0.0.1");
    }
}
