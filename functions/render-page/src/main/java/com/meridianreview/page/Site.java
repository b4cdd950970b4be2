package com.meridianreview.page;

import com.meridianreview.core.Config;
import com.meridianreview.core.Image;
import com.meridianreview.core.Listing;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Site-wide settings the pages need: the magazine's name, the canonical address readers share,
 * where images are served from (the CDN's /images/ path on the same host by default), and the
 * version of the newsletter consent text the signup box shows (null: no box, as on a stack
 * without the newsletter), and the sections the header links to.
 */
public record Site(String name, String baseUrl, String imageBaseUrl, String newsletterConsentVersion, List<Listing> navigation) {

    public Site {
        navigation = List.copyOf(navigation);
    }

    public Site(String name, String baseUrl, String imageBaseUrl) {
        this(name, baseUrl, imageBaseUrl, null, List.of());
    }

    static Site from(Config config) {
        return new Site(
                config.get("SITE_NAME", "The Meridian Review"),
                stripSlash(config.get("SITE_URL", "http://127.0.0.1:3000")),
                config.get("IMAGE_BASE_URL", "/images/"),
                config.optional("NEWSLETTER_CONSENT_VERSION").orElse(null),
                sections(config.get("SITE_SECTIONS", "")));
    }

    /** The sections the header offers, in the editors' order: an editorial choice, so a setting, not a query. */
    private static List<Listing> sections(String names) {
        return Arrays.stream(names.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                .map(name -> Listing.of(Listing.Kind.SECTION, name)).filter(listing -> !listing.slug().isEmpty()).toList();
    }

    public String imageUrl(Image image) {
        return imageBaseUrl + image.key();
    }

    /**
     * The renditions and the original for a {@code srcset}, smallest first; empty for an image
     * ingest has not sized (the page then offers the original alone).
     */
    public String srcset(Image image) {
        if (!image.hasSize() || image.renditions().isEmpty()) {
            return "";
        }
        StringBuilder srcset = new StringBuilder();
        for (Image.Rendition rendition : image.renditions()) {
            srcset.append(imageBaseUrl).append(rendition.key()).append(' ').append(rendition.width()).append("w, ");
        }
        return srcset.append(imageUrl(image)).append(' ').append(image.width()).append('w').toString();
    }

    /**
     * What a teaser shows: the smallest rendition, since a teaser's picture is a thumbnail at most
     * a few hundred pixels wide on any screen; the original when ingest made no rendition.
     */
    public String thumbnailUrl(Image image) {
        return smallest(image).map(rendition -> imageBaseUrl + rendition.key()).orElseGet(() -> imageUrl(image));
    }

    /** The renditions alone (the original is never needed at thumbnail size); empty when there are none. */
    public String thumbnailSrcset(Image image) {
        if (smallest(image).isEmpty()) {
            return "";
        }
        StringBuilder srcset = new StringBuilder();
        for (Image.Rendition rendition : image.renditions()) {
            srcset.append(srcset.isEmpty() ? "" : ", ").append(imageBaseUrl).append(rendition.key()).append(' ').append(rendition.width()).append('w');
        }
        return srcset.toString();
    }

    public int thumbnailWidth(Image image) {
        return smallest(image).map(Image.Rendition::width).orElseGet(() -> width(image));
    }

    public int thumbnailHeight(Image image) {
        return smallest(image).map(Image.Rendition::height).orElseGet(() -> height(image));
    }

    private static Optional<Image.Rendition> smallest(Image image) {
        if (!image.hasSize()) {
            return Optional.empty();
        }
        return image.renditions().stream().min(Comparator.comparingInt(Image.Rendition::width));
    }

    /** The image's width for the page's layout, reserving space before it loads (16:9 when unknown). */
    public int width(Image image) {
        return image.hasSize() ? image.width() : 1200;
    }

    public int height(Image image) {
        return image.hasSize() ? image.height() : 675;
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
