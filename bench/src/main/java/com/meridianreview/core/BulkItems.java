package com.meridianreview.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Table items for a synthetic corpus written in bulk, shaped as {@link ContentStore#publish} and
 * {@link RelatedLists#refresh} leave them, from the same item code; and the refresh's own limits,
 * so that a bench building related lists in memory keeps the rules the refresh keeps.
 */
public final class BulkItems {

    public static final int KEPT = RelatedLists.KEPT;
    public static final int PER_LISTING = RelatedLists.PER_LISTING;
    public static final int REACHED = RelatedLists.REACHED;
    public static final Comparator<RelatedStory> BEST_FIRST = RelatedLists.BEST_FIRST;

    private BulkItems() {
    }

    /** The article's item (its version, related list and the lists it is on record in) followed by one teaser item per listing. */
    public static List<Map<String, AttributeValue>> items(Article article, SourceVersion version, List<RelatedStory> related, Set<String> relatedIn) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> item = new HashMap<>(ContentItems.articleItem(article));
        item.put(ContentTable.SOURCE_VERSION, AttributeValue.fromS(version.value()));
        item.put(ContentTable.RELATED, ContentItems.relatedList(related));
        if (!relatedIn.isEmpty()) {
            item.put(ContentTable.RELATED_IN, AttributeValue.fromSs(List.copyOf(relatedIn)));
        }
        items.add(item);
        for (Listing listing : article.listings()) {
            items.add(ContentItems.teaserItem(article.teaser(), article.tags(), listing));
        }
        return items;
    }
}
