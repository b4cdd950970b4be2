package com.meridianreview.subscribers;

import java.util.List;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;

/**
 * Sends one message of the newsletter through SES: a plain-text and an HTML part, and one-click
 * unsubscribe headers (RFC 8058) that mail providers show as an "unsubscribe" button and that
 * bulk senders must carry.
 */
public final class ListMail {

    private final SesV2Client ses;
    private final String from;
    private final String configurationSet;

    public ListMail(SesV2Client ses, String from, String configurationSet) {
        this.ses = ses;
        this.from = from;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    /** Sends the message; SES's id for it. */
    public String send(EmailAddress to, String subject, String text, String html, String unsubscribeUrl) {
        return ses.sendEmail(request -> request
                .fromEmailAddress(from)
                .configurationSetName(configurationSet)
                .destination(destination -> destination.toAddresses(to.value()))
                .content(content -> content.simple(message -> message
                        .subject(s -> s.data(subject).charset("UTF-8"))
                        .body(body -> body.text(t -> t.data(text).charset("UTF-8")).html(h -> h.data(html).charset("UTF-8")))
                        .headers(List.of(
                                MessageHeader.builder().name("List-Unsubscribe").value("<" + unsubscribeUrl + ">").build(),
                                MessageHeader.builder().name("List-Unsubscribe-Post").value("List-Unsubscribe=One-Click").build())))))
                .messageId();
    }
}
