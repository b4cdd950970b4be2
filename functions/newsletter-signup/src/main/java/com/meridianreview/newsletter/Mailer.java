package com.meridianreview.newsletter;

import java.util.List;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;

/**
 * The two messages a signup sends, through SES: "confirm your subscription" to a new (or
 * returning) reader, and "you are already subscribed" to a confirmed one, so that every signup
 * does the same work whoever the address belongs to. Each carries a plain-text part and one-click
 * unsubscribe headers (RFC 8058).
 */
final class Mailer {

    private final SesV2Client ses;
    private final String from;
    private final String configurationSet;
    private final String siteName;
    private final String siteUrl;

    Mailer(SesV2Client ses, String from, String configurationSet, String siteName, String siteUrl) {
        this.ses = ses;
        this.from = from;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
        this.siteName = siteName;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
    }

    /**
     * Says nothing the signup form was given but the address itself: anyone can send this message
     * to any address, so a name typed into the form must not become words in someone's inbox.
     */
    void confirmation(EmailAddress to, String confirmToken, String unsubscribeToken) {
        String link = siteUrl + "/newsletter/confirm?token=" + confirmToken;
        String greeting = "Hello,";
        String text = greeting + "\n\nPlease confirm that you would like " + siteName + "'s weekly round-up at this address:\n\n" + link
                + "\n\nThe link opens a page with a button; nothing happens until you press it. It works for 7 days.\n"
                + "If you did not ask for this, ignore this message: you will not hear from us again.\n\n"
                + "Never mail this address again: " + unsubscribeLink(unsubscribeToken) + "\n";
        String html = "<p>" + NewsletterPages.escape(greeting) + "</p><p>Please confirm that you would like " + NewsletterPages.escape(siteName)
                + "'s weekly round-up at this address.</p><p><a href=\"" + NewsletterPages.escape(link) + "\">Confirm my subscription</a></p>"
                + "<p>The link works for 7 days. If you did not ask for this, ignore this message: you will not hear from us again.</p>"
                + "<p><a href=\"" + NewsletterPages.escape(unsubscribeLink(unsubscribeToken)) + "\">Never mail this address again</a></p>";
        send(to, "Confirm your subscription to " + siteName, text, html, unsubscribeToken);
    }

    void alreadySubscribed(EmailAddress to, String unsubscribeToken) {
        String text = "Hello,\n\nSomeone (we hope you) asked to subscribe this address to " + siteName
                + "'s weekly round-up. You are subscribed already, so nothing has changed.\n\nTo stop receiving it: "
                + unsubscribeLink(unsubscribeToken) + "\n";
        String html = "<p>Hello,</p><p>Someone (we hope you) asked to subscribe this address to " + NewsletterPages.escape(siteName)
                + "'s weekly round-up. You are subscribed already, so nothing has changed.</p><p><a href=\""
                + NewsletterPages.escape(unsubscribeLink(unsubscribeToken)) + "\">Unsubscribe</a></p>";
        send(to, "You are already subscribed to " + siteName, text, html, unsubscribeToken);
    }

    String unsubscribeLink(String token) {
        return siteUrl + "/newsletter/unsubscribe?token=" + token;
    }

    private void send(EmailAddress to, String subject, String text, String html, String unsubscribeToken) {
        ses.sendEmail(request -> request
                .fromEmailAddress(from)
                .configurationSetName(configurationSet)
                .destination(destination -> destination.toAddresses(to.value()))
                .content(content -> content.simple(message -> message
                        .subject(s -> s.data(subject).charset("UTF-8"))
                        .body(body -> body.text(t -> t.data(text).charset("UTF-8")).html(h -> h.data(html).charset("UTF-8")))
                        .headers(List.of(
                                MessageHeader.builder().name("List-Unsubscribe").value("<" + unsubscribeLink(unsubscribeToken) + ">").build(),
                                MessageHeader.builder().name("List-Unsubscribe-Post").value("List-Unsubscribe=One-Click").build())))));
    }
}
