package com.meridianreview.page;

import com.meridianreview.core.Article;
import com.meridianreview.core.Listing;
import com.meridianreview.core.Teaser;
import java.util.List;

/** Everything the article template shows, gathered before rendering starts. */
public record ArticleView(Article article, List<Teaser> keepReading, List<Teaser> latest, String jsonLd, ShareLinks share, boolean preview) {

    public ArticleView(Article article, List<Teaser> keepReading, List<Teaser> latest, String jsonLd, ShareLinks share) {
        this(article, keepReading, latest, jsonLd, share, false);
    }

    /** "Reporting | Field Notes": the article's type, then its channel when it has one. */
    public String typeLabel() {
        String type = article.type() == null ? "" : article.type();
        return article.channel() == null ? type : type + " | " + article.channel();
    }

    public Listing section() {
        return Listing.of(Listing.Kind.SECTION, article.section());
    }

    public Listing region() {
        return article.region() == null ? null : Listing.of(Listing.Kind.REGION, article.region());
    }

    public List<Listing> tags() {
        return article.tags().stream().map(tag -> Listing.of(Listing.Kind.TAG, tag)).toList();
    }

    public boolean wasUpdated() {
        return !article.modifiedAt().equals(article.publishedAt());
    }
}
