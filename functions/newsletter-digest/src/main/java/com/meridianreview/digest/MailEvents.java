package com.meridianreview.digest;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.JsonLog;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.Subscribers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What SES reports about delivered mail, through SNS: an address that bounced for good, or whose
 * owner marked the mail as spam, is never mailed again (SES's reputation, and the account's
 * right to send, depend on it). Both SES formats are read: a configuration set's event
 * publishing ({@code eventType}) and an identity's notifications ({@code notificationType}).
 * Transient bounces (a full mailbox, a server down) stop nothing.
 */
final class MailEvents {

    record Handled(int stopped, int ignored) {
    }

    private final Subscribers subscribers;
    private final JsonFactory json;
    private final JsonLog log;

    MailEvents(Subscribers subscribers, JsonFactory json, JsonLog log) {
        this.subscribers = subscribers;
        this.json = json;
        this.log = log;
    }

    Handled handle(Object snsEvent, String requestId) {
        int stopped = 0;
        int ignored = 0;
        for (Object record : JsonValues.list(snsEvent, "Records")) {
            String message = JsonValues.text(record, "Sns", "Message").orElse("");
            Object event;
            try {
                event = JsonValues.read(json, message.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.warn(requestId, "an SNS message that is not an SES event", Map.of("error", String.valueOf(e.getMessage())));
                ignored++;
                continue;
            }
            String type = JsonValues.text(event, "eventType").or(() -> JsonValues.text(event, "notificationType")).orElse("");
            List<?> recipients;
            String reason;
            if (type.equals("Bounce") && JsonValues.text(event, "bounce", "bounceType").orElse("").equals("Permanent")) {
                recipients = JsonValues.list(event, "bounce", "bouncedRecipients");
                reason = "bounce";
            } else if (type.equals("Complaint")) {
                recipients = JsonValues.list(event, "complaint", "complainedRecipients");
                reason = "complaint";
            } else {
                ignored++;
                continue;
            }
            for (Object recipient : recipients) {
                String given = JsonValues.text(recipient, "emailAddress").orElse("");
                var address = EmailAddress.parse(given);
                if (address.address().isEmpty()) {
                    ignored++;
                    continue;
                }
                int count = subscribers.stopMail(address.address().get(), reason);
                stopped += count;
                // The pseudonym, never the address: logs are read by more people than the table.
                log.info(requestId, "mail stopped", Map.of("reason", reason, "subscriber", address.address().get().id(), "subscriptions", count));
            }
        }
        return new Handled(stopped, ignored);
    }
}
