package com.meridianreview.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Image;
import com.meridianreview.core.StoredImage;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(EmulatorsExtension.class)
class ContentIngestTest {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ContentIngest ingest;
    private final ContentStore store;

    ContentIngestTest(TestResources resources) {
        dynamoDb = DynamoDbFixtures.client(resources.emulators());
        table = resources.name("content-" + System.nanoTime());
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        store = new ContentStore(dynamoDb, table);
        ingest = new ContentIngest(new ArticleSource(), store,
                new com.meridianreview.core.RelatedLists(dynamoDb, table, new com.meridianreview.core.Relevance(com.meridianreview.core.RelevanceWeights.DEFAULT), java.time.Clock.systemUTC()));
    }

    @Test
    void theSameUploadTwiceChangesNothing() throws Exception {
        store.publishImage(new StoredImage("quiet-channels.jpg", "image/jpeg", 1200, 675,
                List.of(new Image.Rendition("quiet-channels-320w-0123456789.jpg", 320, 180)), "incoming/quiet-channels.jpg#01"), true);
        byte[] source = (ArticleSourceTest.FRONT_MATTER + "A body.\n").getBytes(StandardCharsets.UTF_8);
        ingest.ingest("articles/quiet-channels.md", source);
        List<Map<String, AttributeValue>> first = items();
        ingest.ingest("articles/quiet-channels.md", source);

        assertEquals(first, items());
        assertTrue(first.size() > 2, "the image, the article and its teaser items");
        Image image = store.publishedArticle("quiet-channels").orElseThrow().image();
        assertEquals(List.of(1200, 675), List.of(image.width(), image.height()), "the article carries its image's size");
        assertEquals(List.of(new Image.Rendition("quiet-channels-320w-0123456789.jpg", 320, 180)), image.renditions());
    }

    @Test
    void anArticleWhoseImageWasNotUploadedIsRefused() {
        byte[] source = (ArticleSourceTest.FRONT_MATTER + "A body.\n").getBytes(StandardCharsets.UTF_8);
        InvalidSourceException refused = assertThrows(InvalidSourceException.class, () -> ingest.ingest("articles/quiet-channels.md", source));
        assertEquals(List.of("image.key names \"quiet-channels.jpg\", which has not been uploaded; upload the image under incoming/ first"), refused.problems());
        assertEquals(0, items().size());
    }

    @Test
    void anInvalidUploadLeavesTheTableUntouched() {
        byte[] broken = "---\nheadline: x\n---\nbody".getBytes(StandardCharsets.UTF_8);
        assertThrows(InvalidSourceException.class, () -> ingest.ingest("articles/broken.md", broken));
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0x00};
        assertEquals(List.of("the file is not UTF-8 text"),
                assertThrows(InvalidSourceException.class, () -> ingest.ingest("articles/binary.md", notUtf8)).problems());
        assertThrows(InvalidSourceException.class, () -> ingest.ingest("images/photo.md", broken));
        assertEquals(0, items().size());
    }

    @Test
    void onlyMarkdownUnderArticlesIsAnArticle() {
        assertEquals("quiet-channels", ContentIngest.slugOf("articles/quiet-channels.md").orElseThrow());
        assertTrue(ContentIngest.slugOf("articles/nested/x.md").isEmpty());
        assertTrue(ContentIngest.slugOf("images/x.jpg").isEmpty());
    }

    private List<Map<String, AttributeValue>> items() {
        return dynamoDb.scan(s -> s.tableName(table).consistentRead(true)).items().stream()
                .sorted((a, b) -> (a.get("pk").s() + a.get("sk").s()).compareTo(b.get("pk").s() + b.get("sk").s()))
                .toList();
    }
}
