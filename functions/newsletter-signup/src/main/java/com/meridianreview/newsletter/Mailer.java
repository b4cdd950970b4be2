package com.meridianreview.newsletter;

import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.ListMail;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The two messages a signup sends, through SES: "confirm your subscription" to a new (or
 * returning) reader, and "you are already subscribed" to a confirmed one, so that every signup
 * does the same work whoever the address belongs to. Each carries a plain-text part and one-click
 * unsubscribe headers (RFC 8058).
 */
final class Mailer {

    private final ListMail mail;
    private final String siteName;
    private final String siteUrl;

    Mailer(SesV2Client ses, String from, String configurationSet, String siteName, String siteUrl) {
        this.mail = new ListMail(ses, from, configurationSet);
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
        mail.send(to, subject, text, html, unsubscribeLink(unsubscribeToken));
    }
}
