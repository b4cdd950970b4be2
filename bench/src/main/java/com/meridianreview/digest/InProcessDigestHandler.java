package com.meridianreview.digest;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.Subscribers;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The round-up's handler built in the bench's own JVM with the function's template environment
 * (and any changes, such as the send rate), and confirmed subscribers made as readers make them.
 */
public final class InProcessDigestHandler {

    private InProcessDigestHandler() {
    }

    public static DigestHandler create(Map<String, String> environment, Map<String, String> changes) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(changes);
        Config config = new Config(merged);
        return new DigestHandler(config, AwsClients.dynamoDb(config), DigestHandler.sesClient(config), new JsonFactory(), Clock.systemUTC());
    }

    /** {@code count} confirmed subscribers of the weekly list at {@code domain}, each through a signup's writes. */
    public static void confirmedSubscribers(Map<String, String> environment, String domain, int count) {
        Config config = new Config(environment);
        Subscribers subscribers = new Subscribers(AwsClients.dynamoDb(config), config.required("SUBSCRIBERS_TABLE"), Clock.systemUTC());
        var consent = new Subscribers.Consent(Instant.now(), "/", "bench", "bench");
        for (int i = 0; i < count; i++) {
            EmailAddress email = new EmailAddress("reader" + i + "@" + domain);
            subscribers.addPending(email, "weekly", null, "n" + i, consent);
            subscribers.confirm(email.id(), "weekly", "n" + i);
        }
    }
}
