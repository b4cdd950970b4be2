package com.meridianreview.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Where an upload may go is decided here, never by the client's file name. */
class UploadRulesTest {

    private final UploadRules rules = new UploadRules(1000, 5000, JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build(),
            Clock.fixed(Instant.parse("2026-03-05T10:00:00Z"), ZoneOffset.UTC), new SecureRandom());

    @Test
    void anArticleKeepsItsSlugAndAnImageGetsTheMonthAndARandomName() {
        UploadPlan article = accepted("{\"kind\":\"article\",\"fileName\":\"talks-resume.md\",\"contentType\":\"text/markdown; charset=UTF-8\",\"size\":10}");
        assertEquals("incoming/articles/talks-resume.md", article.key());
        assertEquals("text/markdown", article.contentType(), "what is signed is the plain type");
        UploadPlan image = accepted("{\"kind\":\"image\",\"fileName\":\"My Photo.JPEG\",\"contentType\":\"Image/JPEG\",\"size\":4000}");
        assertTrue(image.key().matches("incoming/images/2026/03/[0-9a-f]{24}\\.jpg"), image.key());
        assertFalse(image.key().contains("Photo"));
        UploadPlan again = accepted("{\"kind\":\"image\",\"fileName\":\"My Photo.JPEG\",\"contentType\":\"image/jpeg\",\"size\":4000}");
        assertNotEquals(image.key(), again.key(), "two uploads of one name never overwrite each other");
        assertTrue(UploadRules.isUploadKey(image.key()));
        assertTrue(UploadRules.isUploadKey(article.key()));
    }

    @Test
    void theCapsAreTheConfiguredOnesPerKind() {
        assertEquals(413, refused("{\"kind\":\"article\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":1001}"));
        assertEquals(1000, accepted("{\"kind\":\"article\",\"fileName\":\"a.md\",\"contentType\":\"text/markdown\",\"size\":1000}").size());
        assertEquals(413, refused("{\"kind\":\"image\",\"fileName\":\"a.gif\",\"contentType\":\"image/gif\",\"size\":5001}"));
        assertEquals(5000, accepted("{\"kind\":\"image\",\"fileName\":\"a.gif\",\"contentType\":\"image/gif\",\"size\":5000}").size());
    }

    @Test
    void svgIsNeverAnImageWhateverItIsCalled() {
        assertEquals(415, refused("{\"kind\":\"image\",\"fileName\":\"a.png\",\"contentType\":\"image/svg+xml\",\"size\":10}"));
        assertEquals(415, refused("{\"kind\":\"image\",\"fileName\":\"a.svg\",\"contentType\":\"image/svg\",\"size\":10}"));
        assertEquals(400, refused("{\"kind\":\"image\",\"fileName\":\"a.svg\",\"contentType\":\"image/png\",\"size\":10}"));
    }

    private UploadPlan accepted(String body) {
        return assertInstanceOf(UploadRules.Accepted.class, rules.check(body)).plan();
    }

    private int refused(String body) {
        return assertInstanceOf(UploadRules.Refused.class, rules.check(body)).problem().status();
    }
}
