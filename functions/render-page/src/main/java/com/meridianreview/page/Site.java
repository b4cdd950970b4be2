package com.meridianreview.page;

import com.meridianreview.core.Config;
import com.meridianreview.core.Image;

/**
 * Site-wide settings the pages need: the magazine's name, the canonical address readers share, and
 * where images are served from (the CDN's /images/ path on the same host by default).
 */
public record Site(String name, String baseUrl, String imageBaseUrl) {

    static Site from(Config config) {
        return new Site(
                config.get("SITE_NAME", "The Meridian Review"),
                stripSlash(config.get("SITE_URL", "http://127.0.0.1:3000")),
                config.get("IMAGE_BASE_URL", "/images/"));
    }

    public String imageUrl(Image image) {
        return imageBaseUrl + image.key();
    }

    /** An absolute image address, for social previews and structured data, which need one. */
    public String absoluteImageUrl(Image image) {
        String url = imageUrl(image);
        return url.startsWith("http") ? url : baseUrl + (url.startsWith("/") ? "" : "/") + url;
    }

    public String absolute(String path) {
        return baseUrl + path;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
