package com.meridianreview.page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Share links that work without JavaScript: each network's own share address, plus email. */
public record ShareLinks(String bluesky, String linkedIn, String facebook, String email) {

    static ShareLinks of(String url, String headline) {
        String u = encode(url);
        String text = encode(headline + " " + url);
        return new ShareLinks(
                "https://bsky.app/intent/compose?text=" + text,
                "https://www.linkedin.com/sharing/share-offsite/?url=" + u,
                "https://www.facebook.com/sharer/sharer.php?u=" + u,
                "mailto:?subject=" + encode(headline).replace("+", "%20") + "&body=" + u);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
