package com.meridianreview.newsletter;

import com.meridianreview.core.HttpApiResponse;
import com.meridianreview.core.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newsletter's own pages: the answer to a form sent with JavaScript off, and the confirm and
 * unsubscribe pages mail links open. A link only ever opens a page with a button: mail scanners
 * and link previews open every link, and must never confirm or unsubscribe anyone.
 */
final class NewsletterPages {

    static final String SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String STYLE = "body{margin:0;font-family:Georgia,'Times New Roman',serif;line-height:1.6;color:#1a1a1a}"
            + "main{max-width:36rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.6rem;line-height:1.25}"
            + "button{font:inherit;padding:.6rem 1.2rem;background:#8a1c1c;color:#fff;border:0;border-radius:4px;cursor:pointer}"
            + "button:focus-visible,a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}a{color:#8a1c1c}";

    private final String siteName;

    NewsletterPages(String siteName) {
        this.siteName = siteName;
    }

    HttpApiResponse accepted() {
        return page(202, "Check your inbox", "<p>If this address can receive our mail, a message is on its way to it now."
                + " Open it and press the button to confirm; until then you will not be sent the round-up.</p>"
                + "<p><a href=\"/\">Back to " + escape(siteName) + "</a></p>");
    }

    HttpApiResponse invalid(List<Problem.FieldError> errors) {
        StringBuilder list = new StringBuilder("<ul>");
        for (Problem.FieldError error : errors) {
            list.append("<li>").append(escape(error.message())).append("</li>");
        }
        list.append("</ul>");
        return page(400, "Please check the form", "<p>We could not sign you up:</p>" + list + "<p>Go back, correct it and send it again.</p>");
    }

    HttpApiResponse tooMany(long retryAfter) {
        HttpApiResponse page = page(429, "Please wait a little", "<p>There have been many signups from here just now. Please try again in "
                + Math.max(1, (retryAfter + 59) / 60) + " minutes.</p>");
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("retry-after", Long.toString(retryAfter));
        return HttpApiResponse.of(429, headers, page.body());
    }

    HttpApiResponse confirmForm(String token) {
        return page(200, "Confirm your subscription", "<p>Press the button to start receiving " + escape(siteName) + "'s weekly round-up.</p>"
                + "<form method=\"post\" action=\"/newsletter/confirm\"><input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
                + "<button type=\"submit\">Confirm my subscription</button></form>");
    }

    HttpApiResponse confirmed(boolean already) {
        return page(200, already ? "You are already subscribed" : "You are subscribed",
                "<p>" + (already ? "Nothing has changed: this address already receives the weekly round-up."
                        : "Thank you. The weekly round-up will come to this address; every issue has a link to stop it.") + "</p>"
                        + "<p><a href=\"/\">Go to " + escape(siteName) + "</a></p>");
    }

    HttpApiResponse unsubscribeForm(String token) {
        return page(200, "Unsubscribe", "<p>Press the button and we will stop sending you the weekly round-up.</p>"
                + "<form method=\"post\" action=\"/newsletter/unsubscribe?token=" + escape(token) + "\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    HttpApiResponse unsubscribed() {
        return page(200, "You are unsubscribed", "<p>We will not send you the weekly round-up again. If you change your mind, sign up on any page.</p>"
                + "<p><a href=\"/\">Go to " + escape(siteName) + "</a></p>");
    }

    HttpApiResponse badLink(int status) {
        return page(status, "This link does not work", "<p>It may be incomplete, or older than seven days. Sign up again from any page and we will"
                + " send you a fresh one.</p><p><a href=\"/\">Go to " + escape(siteName) + "</a></p>");
    }

    HttpApiResponse unavailable() {
        HttpApiResponse page = page(503, "Try again shortly", "<p>We could not do that just now. Please try again in a minute.</p>");
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("retry-after", "10");
        return HttpApiResponse.of(503, headers, page.body());
    }

    HttpApiResponse page(int status, String title, String content) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex\"><title>" + escape(title) + " | " + escape(siteName) + "</title><style>" + STYLE + "</style></head>"
                + "<body><main><h1>" + escape(title) + "</h1>" + content + "</main></body></html>\n";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        // Answers about one reader's subscription: never kept by the CDN or a browser.
        headers.put("cache-control", "no-store");
        headers.put("content-security-policy", SECURITY_POLICY);
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "no-referrer");
        return HttpApiResponse.of(status, headers, html);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
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
}
