package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The editors' path through the runner: a source written under incoming/ becomes a live page
 * through the S3 event the template declares, late and replayed uploads never undo a newer one,
 * a bad file ends in quarantine with a report, and the table can be rebuilt from the bucket.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private LocalRunner runner;
    private S3Client s3;
    private DynamoDbClient dynamoDb;
    private String bucket;
    private String table;

    @BeforeAll
    void start(TestResources resources) {
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey()));
        s3 = S3Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(resources.emulators().s3Endpoint()).credentialsProvider(credentials).build();
        dynamoDb = DynamoDbClient.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(resources.emulators().dynamoDbEndpoint()).credentialsProvider(credentials).build();
        bucket = SamApplication.bucketName(resources.prefix(), "ImageBucket");
        table = resources.prefix() + "ContentTable";
    }

    @AfterAll
    void stop() {
        runner.close();
        s3.close();
        dynamoDb.close();
    }

    @Test
    void anUploadedSourceBecomesALivePageAndItsAcceptedCopyIsKept() throws Exception {
        upload("incoming/harbour-talks-resume.md", source("harbour-talks-resume", "Harbour Talks Resume", "2026-11-24T08:00:00Z", null));
        HttpResponse<String> page = get("/articles/harbour-talks-resume");
        assertEquals(200, page.statusCode(), output());
        assertTrue(page.body().contains("<h1>Harbour Talks Resume</h1>"));
        assertTrue(text("articles/harbour-talks-resume.md").contains("headline: Harbour Talks Resume"), "the accepted source, the truth the table is built from");
    }

    @Test
    void aLateOlderVersionAndAReplayNeverUndoTheNewerOne() throws Exception {
        String newer = source("port-levy-debate", "Port Levy Debate, Updated", "2026-11-24T08:00:00Z", "2026-11-25T09:00:00Z");
        String older = source("port-levy-debate", "Port Levy Debate", "2026-11-24T08:00:00Z", "2026-11-24T09:00:00Z");
        upload("incoming/port-levy-debate.md", newer);
        upload("incoming/port-levy-debate.md", older);
        upload("incoming/port-levy-debate.md", newer);
        assertTrue(get("/articles/port-levy-debate").body().contains("<h1>Port Levy Debate, Updated</h1>"), output());
        assertTrue(text("articles/port-levy-debate.md").contains("Updated"), "the kept copy is the newer source too");
        assertTrue(output().contains("older version not published"), output());
    }

    @Test
    void versionsUploadedAllAtOnceInAnyOrderLeaveTheNewestLive() throws Exception {
        List<Integer> order = new ArrayList<>(List.of(3, 0, 4, 1, 2));
        for (int version : order) {
            String text = source("busy-desk", "Busy Desk, take " + version, "2026-11-24T08:00:00Z", "2026-11-25T09:0" + version + ":00Z");
            // No wait between uploads: the events are delivered concurrently and in any order.
            s3.putObject(request -> request.bucket(bucket).key("incoming/busy-desk.md"), RequestBody.fromString(text));
        }
        assertTrue(runner.awaitEvents(Duration.ofSeconds(60)));
        assertTrue(get("/articles/busy-desk").body().contains("<h1>Busy Desk, take 4</h1>"), output());
        assertTrue(text("articles/busy-desk.md").contains("Busy Desk, take 4"), "the kept copy, which a rebuild reads, is the newest too");
    }

    @Test
    void aBadFileIsQuarantinedWithAReportAndNothingReachesTheTable() throws Exception {
        Map<String, byte[]> bad = Map.of(
                "incoming/not-utf8.md", new byte[] {'-', '-', '-', '\n', (byte) 0xC3, (byte) 0x28, '\n'},
                "incoming/empty.md", new byte[0],
                "incoming/laughs.md", ("---\nheadline: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                        + "dek: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nsection: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntype: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\nbody\n")
                        .getBytes(StandardCharsets.UTF_8),
                "incoming/huge.md", ("---\nheadline: Huge\n---\n" + "word ".repeat(2_000_000)).getBytes(StandardCharsets.UTF_8),
                "incoming/deep.md", ("---\nheadline: " + "[".repeat(500) + "]".repeat(500) + "\n---\nbody\n").getBytes(StandardCharsets.UTF_8),
                "incoming/hostile.md", source("hostile", "Hostile", "2026-11-24T08:00:00Z", null).replace("The story of hostile.",
                        "<script>alert(1)</script> and [x](javascript:alert(2))").getBytes(StandardCharsets.UTF_8),
                "incoming/archive.zip", new byte[] {'P', 'K', 3, 4, 0, 0});
        for (Map.Entry<String, byte[]> file : bad.entrySet()) {
            upload(file.getKey(), file.getValue());
        }
        for (String key : bad.keySet()) {
            String name = key.substring("incoming/".length());
            JsonNode report = JSON.readTree(text("quarantine/" + name + ".report.json"));
            assertEquals(key, report.get("source").asText());
            assertTrue(report.get("problems").size() > 0 && !report.get("problems").get(0).asText().isBlank(), report.toString());
            String slug = name.substring(0, name.lastIndexOf('.'));
            assertEquals(404, get("/articles/" + slug).statusCode(), slug + " reached the table");
        }
        assertEquals(200, get("/articles/baltic-grid-after-the-switch").statusCode(), "the function is alive and serving after all of them");
    }

    @Test
    void anUploadedImageIsPublishedWithoutItsMetadataAndWithRenditionsThatArticlesUse() throws Exception {
        byte[] original = jpegWithGpsTag(1800, 1000);
        upload("incoming/harbour-cranes.jpg", original);
        byte[] published = s3.getObjectAsBytes(request -> request.bucket(bucket).key("images/harbour-cranes.jpg")).asByteArray();
        assertTrue(!new String(published, StandardCharsets.ISO_8859_1).contains("Exif") && !new String(published, StandardCharsets.ISO_8859_1).contains("GPS"),
                "no EXIF or GPS data reaches readers");
        org.junit.jupiter.api.Assertions.assertArrayEquals(original,
                s3.getObjectAsBytes(r -> r.bucket(bucket).key("incoming/harbour-cranes.jpg")).asByteArray(), "the original is kept as uploaded");

        upload("incoming/cranes-at-dawn.md", source("cranes-at-dawn", "Cranes at Dawn", "2026-11-24T08:00:00Z", null).replace("baltic-grid.jpg", "harbour-cranes.jpg"));
        String page = get("/articles/cranes-at-dawn").body();
        java.util.regex.Matcher srcset = java.util.regex.Pattern.compile("srcset=\"([^\"]+)\"").matcher(page);
        assertTrue(srcset.find(), page);
        List<String> candidates = List.of(srcset.group(1).split(", "));
        assertEquals(5, candidates.size(), "320, 640, 1024 and 1600 px renditions and the 1800 px original: " + candidates);
        assertTrue(candidates.get(0).matches("/images/harbour-cranes-320w-[0-9a-f]{10}\\.jpg 320w"), candidates.get(0));
        assertTrue(candidates.get(3).matches("/images/harbour-cranes-1600w-[0-9a-f]{10}\\.jpg 1600w"), candidates.get(3));
        assertEquals("/images/harbour-cranes.jpg 1800w", candidates.get(4));
        assertTrue(page.contains("width=\"1800\" height=\"1000\""), "the page reserves the image's own size");
        String rendition = candidates.get(0).split(" ")[0];
        HttpResponse<byte[]> small = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + rendition)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, small.statusCode());
        assertEquals(320, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(small.body())).getWidth());
        assertEquals("public, max-age=31536000, immutable", s3.headObject(r -> r.bucket(bucket).key(rendition.substring(1))).cacheControl());
    }

    @Test
    void theSameImageUploadDeliveredTwiceIsDoneAndANewPictureUnderItsNameIsRefused() throws Exception {
        upload("incoming/quay.jpg", jpegWithGpsTag(700, 400));
        String source = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("image#quay.jpg"), "sk", AttributeValue.fromS("image")))).item().get("source").s();
        String sequencer = source.substring(source.indexOf('#') + 1);
        FunctionPool.Result again = runner.invoke("IngestFunction", ("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                + bucket + "\"},\"object\":{\"key\":\"incoming/quay.jpg\",\"size\":1,\"sequencer\":\"" + sequencer + "\"}}}]}").getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"published\":1,\"rejected\":0}", new String(again.outcome().payload(), StandardCharsets.UTF_8), "a redelivered event is not a second image");
        assertEquals("published", report("incoming/quay.jpg").get("state").s());

        upload("incoming/quay.jpg", jpegWithGpsTag(800, 400));
        assertEquals("rejected", report("incoming/quay.jpg").get("state").s());
        assertTrue(report("incoming/quay.jpg").get("problems").l().get(0).s().startsWith("an image named quay.jpg is already published"));
    }

    @Test
    void anArticleNamingAnImageNotUploadedAndAnImageWithTheWrongNameAreRefused() throws Exception {
        upload("incoming/missing-picture.md", source("missing-picture", "Missing Picture", "2026-11-24T08:00:00Z", null).replace("baltic-grid.jpg", "never-sent.jpg"));
        JsonNode report = JSON.readTree(text("quarantine/missing-picture.md.report.json"));
        assertTrue(report.get("problems").get(0).asText().contains("never-sent.jpg"), report.toString());
        assertEquals(404, get("/articles/missing-picture").statusCode());

        upload("incoming/not-a-png.png", jpegWithGpsTag(400, 300));
        JsonNode misnamed = JSON.readTree(text("quarantine/not-a-png.png.report.json"));
        assertTrue(misnamed.get("problems").get(0).asText().contains("JPEG"), misnamed.toString());
        assertEquals(404, get("/images/not-a-png.png").statusCode());
    }

    /** A JPEG as a phone writes it: with an EXIF block holding a GPS tag. */
    private static byte[] jpegWithGpsTag(int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, width, height, java.awt.Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.dispose();
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();
        byte[] exif = "Exif\0\0MM\0*\0\0\0\bGPSLatitude 51.5N".getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, 2);
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((exif.length + 2) >> 8), (byte) (exif.length + 2)});
        out.write(exif);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    @Test
    void theTableRebuiltFromTheBucketHoldsTheSameItems() throws Exception {
        Set<Map<String, AttributeValue>> before = items();
        assertTrue(before.size() > 50, "the samples are in the table: " + before.size());
        for (Map<String, AttributeValue> item : before) {
            dynamoDb.deleteItem(request -> request.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
        assertEquals(Set.of(), items());

        FunctionPool.Result result = runner.invoke("IngestFunction", ("{\"rebuild\":{\"bucket\":\"" + bucket + "\"}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(result.outcome().succeeded(), result.outcome().error());
        JsonNode answer = JSON.readTree(result.outcome().payload());
        assertTrue(answer.get("continueAfter").isNull(), answer.toString());
        assertEquals(0, answer.get("failed").size(), answer.toString());
        // Related lists are derived from the whole archive and from the order stories arrived in, so
        // a rebuild computes them afresh: everything else comes back exactly as it was.
        assertEquals(withoutRelatedLists(before), withoutRelatedLists(items()), "item by item, the rebuilt table is the table that was lost");
        Set<String> live = new HashSet<>();
        items().stream().filter(item -> item.get("sk").s().equals("article") && item.get("status").s().equals("published"))
                .forEach(item -> live.add(item.get("slug").s()));
        for (Map<String, AttributeValue> item : items()) {
            if (item.get("sk").s().equals("article") && live.contains(item.get("slug").s())) {
                assertTrue(item.containsKey("related"), item.get("slug").s() + " has its related stories again");
                for (AttributeValue story : item.get("related").l()) {
                    String related = story.m().get("slug").s();
                    assertTrue(live.contains(related) && !related.equals(item.get("slug").s()), item.get("slug").s() + " → " + related);
                }
            }
        }
    }

    private static Set<Map<String, AttributeValue>> withoutRelatedLists(Set<Map<String, AttributeValue>> items) {
        Set<Map<String, AttributeValue>> stripped = new HashSet<>();
        for (Map<String, AttributeValue> item : items) {
            Map<String, AttributeValue> copy = new java.util.HashMap<>(item);
            copy.remove("related");
            copy.remove("relatedIn");
            copy.remove("relatedRev");
            stripped.add(copy);
        }
        return stripped;
    }

    /** The content items (articles, their teasers, images); upload reports are a passing record, not content. */
    private Set<Map<String, AttributeValue>> items() {
        Set<Map<String, AttributeValue>> items = new HashSet<>();
        dynamoDb.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().stream()
                .filter(item -> !item.get("pk").s().startsWith("upload#")).forEach(items::add);
        return items;
    }

    @Test
    void aDraftsReportCarriesASignedPreviewLinkThatShowsIt() throws Exception {
        upload("incoming/quiet-draft.md", source("quiet-draft", "Quiet Draft", "2026-11-24T08:00:00Z", null).replace("status: published", "status: draft"));
        assertEquals(404, get("/articles/quiet-draft").statusCode(), "readers cannot see a draft");
        String preview = report("incoming/quiet-draft.md").get("page").s();
        assertTrue(preview.startsWith("/preview/quiet-draft?expires="), preview);
        HttpResponse<String> page = get(preview);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<h1>Quiet Draft</h1>"));
        assertEquals("no-store", page.headers().firstValue("cache-control").orElseThrow());
        assertEquals(404, get(preview.replace("sig=", "sig=x")).statusCode());
    }

    @Test
    void everyUploadGetsAReportTheEditorCanRead() throws Exception {
        upload("incoming/reported-story.md", source("reported-story", "Reported Story", "2026-11-24T08:00:00Z", null));
        upload("incoming/unreported.md", "---\nheadline: Missing everything else\n---\nbody\n");
        Map<String, AttributeValue> published = report("incoming/reported-story.md");
        assertEquals("published", published.get("state").s());
        assertEquals("/articles/reported-story", published.get("page").s());
        Map<String, AttributeValue> rejected = report("incoming/unreported.md");
        assertEquals("rejected", rejected.get("state").s());
        assertTrue(rejected.get("problems").l().stream().anyMatch(p -> p.s().contains("dek")), rejected.toString());
        long expires = Long.parseLong(rejected.get("expiresAt").n());
        assertTrue(expires > java.time.Instant.now().plus(Duration.ofDays(29)).getEpochSecond(), "kept for 30 days, then removed by DynamoDB's TTL");
    }

    private Map<String, AttributeValue> report(String key) {
        return dynamoDb.getItem(request -> request.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("upload#" + key), "sk", AttributeValue.fromS("report")))).item();
    }

    private static String source(String slug, String headline, String publishedAt, String updatedAt) {
        return "---\nheadline: " + headline + "\ndek: A test story about " + slug + ".\nsection: Analysis\ntype: Reporting\nregion: Europe\n"
                + "tags: [Ports]\nauthors: [Lena Marsh]\npublishedAt: " + publishedAt + "\n" + (updatedAt == null ? "" : "updatedAt: " + updatedAt + "\n")
                + "status: published\nimage:\n  key: baltic-grid.jpg\n  alt: A grid\n  credit: Meridian Review graphics desk\n---\n\nThe story of " + slug + ".\n";
    }

    private void upload(String key, String text) throws InterruptedException {
        upload(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the object and waits until the event it raises has been handled. */
    private void upload(String key, byte[] bytes) throws InterruptedException {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        assertTrue(runner.awaitEvents(Duration.ofSeconds(60)), "the upload's event was handled");
    }

    private String text(String key) {
        try {
            return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asUtf8String();
        } catch (NoSuchKeyException e) {
            throw new AssertionError(key + " is not in the bucket; runner output:\n" + output(), e);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
