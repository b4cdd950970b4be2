package com.meridianreview.newsletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/**
 * A newsletter-signup handler built in the bench's own JVM with the function's template
 * environment, for warm in-process timing; and the confirmation links its mail carries.
 */
public final class InProcessNewsletterHandler {

    private InProcessNewsletterHandler() {
    }

    public static NewsletterHandler create(Map<String, String> environment) {
        Config config = new Config(environment);
        // The SES client as the function's own constructor builds it: the mail budget, not a reader's, and SES's own region if set.
        SesV2ClientBuilder ses = AwsClients.configure(SesV2Client.builder(), config, "AWS_ENDPOINT_URL_SESV2", NewsletterHandler.MAIL);
        config.optional("SES_REGION").map(Region::of).ifPresent(ses::region);
        return new NewsletterHandler(config, AwsClients.dynamoDb(config), ses.build(), new JsonFactory(), Clock.systemUTC());
    }

    /**
     * For an address signed up (and still pending) on the default list, the token of the link its
     * confirmation mail carries: the same key and the nonce stored with the subscription. Thousands
     * of them are wanted, and this costs one GetItem each instead of reading every message back
     * from the SES emulator; {@link #confirmationParts} lets a caller check one against real mail.
     */
    public static Function<String, String> confirmationTokens(Map<String, String> environment) {
        Config config = new Config(environment);
        Clock clock = Clock.systemUTC();
        NewsletterTokens tokens = new NewsletterTokens(config.required("NEWSLETTER_KEY"), clock);
        Subscribers subscribers = new Subscribers(AwsClients.dynamoDb(config), config.required("SUBSCRIBERS_TABLE"), clock);
        String list = config.get("NEWSLETTER_LISTS", "weekly").split(",")[0].strip();
        return address -> {
            EmailAddress email = EmailAddress.parse(address).address().orElseThrow(() -> new IllegalArgumentException("not an address: " + address));
            Subscribers.Subscriber subscriber = subscribers.find(email.id(), list)
                    .filter(found -> found.state() == Subscribers.State.PENDING)
                    .orElseThrow(() -> new IllegalStateException("no pending subscription for " + email));
            return tokens.confirmation(email.id(), list, subscriber.nonce());
        };
    }

    /**
     * What a confirmation token names (subscriber, list, nonce), without its expiry and signature,
     * which differ between two tokens made a moment apart; null when the token is not one.
     */
    public static String confirmationParts(Map<String, String> environment, String token) {
        NewsletterTokens tokens = new NewsletterTokens(new Config(environment).required("NEWSLETTER_KEY"), Clock.systemUTC());
        return tokens.readConfirmation(token).map(c -> c.subscriberId() + "." + c.list() + "." + c.nonce()).orElse(null);
    }
}
