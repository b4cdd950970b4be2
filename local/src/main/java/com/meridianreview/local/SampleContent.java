package com.meridianreview.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Publishes the sample content the way an editor's upload is published: each image, then each
 * article source, is written under {@code incoming/} in the bucket, and the S3 event the template
 * declares hands it to the ingest function.
 */
final class SampleContent {

    static final String INCOMING = "incoming/";
    static final String ARTICLES = "articles/";
    static final String IMAGES = "images/";
    private static final Duration INGEST_LIMIT = Duration.ofSeconds(60);

    record Loaded(int articles, int images, int rejected) {
    }

    private final S3Client s3;
    private final AsyncInvoker invoker;
    private final RunnerOutput out;

    SampleContent(S3Client s3, AsyncInvoker invoker, RunnerOutput out) {
        this.s3 = s3;
        this.invoker = invoker;
        this.out = out;
    }

    Loaded load(Path directory, String bucket) throws IOException {
        // Images first: an article is accepted only once the image it names has been published.
        List<Path> images = files(directory.resolve("images"), ".jpg", ".jpeg", ".png");
        for (Path image : images) {
            s3.putObject(request -> request.bucket(bucket).key(INCOMING + image.getFileName()).contentType(imageType(image)), RequestBody.fromFile(image));
        }
        awaitIngest();
        List<Path> articles = files(directory.resolve("articles"), ".md");
        for (Path article : articles) {
            s3.putObject(request -> request.bucket(bucket).key(INCOMING + article.getFileName()).contentType("text/markdown; charset=utf-8"),
                    RequestBody.fromFile(article));
        }
        awaitIngest();
        int published = 0;
        for (Path article : articles) {
            if (exists(bucket, ARTICLES + article.getFileName())) {
                published++;
            } else {
                out.println("sample " + article.getFileName() + " was not published (see the ingest function's log above)");
            }
        }
        int imagesPublished = 0;
        for (Path image : images) {
            if (exists(bucket, IMAGES + image.getFileName())) {
                imagesPublished++;
            } else {
                out.println("sample " + image.getFileName() + " was not published (see the ingest function's log above)");
            }
        }
        return new Loaded(published, imagesPublished, articles.size() - published + images.size() - imagesPublished);
    }

    private void awaitIngest() {
        try {
            if (!invoker.awaitIdle(INGEST_LIMIT)) {
                out.println("sample content was still being ingested after " + INGEST_LIMIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static List<Path> files(Path directory, String... extensions) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                return Stream.of(extensions).anyMatch(name::endsWith);
            }).sorted().toList();
        }
    }

    private static String imageType(Path image) {
        String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return "image/jpeg";
    }
}
