package com.meridianreview.local;

import com.meridianreview.ingest.ContentIngest;
import com.meridianreview.ingest.InvalidSourceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts the sample articles and images where editors' uploads go (the image bucket), then
 * publishes each article through {@link ContentIngest}, the same path every upload takes.
 */
final class SampleContent {

    record Loaded(int articles, int images, int rejected) {
    }

    private final S3Client s3;
    private final ContentIngest ingest;
    private final PrintStream out;

    SampleContent(S3Client s3, ContentIngest ingest, PrintStream out) {
        this.s3 = s3;
        this.ingest = ingest;
        this.out = out;
    }

    Loaded load(Path directory, String bucket) throws IOException {
        int images = 0;
        for (Path image : files(directory.resolve("images"), ".jpg", ".jpeg", ".png", ".webp")) {
            String key = ContentIngest.IMAGES_PREFIX + image.getFileName();
            s3.putObject(request -> request.bucket(bucket).key(key).contentType(imageType(image)).cacheControl("public, max-age=31536000"),
                    RequestBody.fromFile(image));
            images++;
        }
        int articles = 0;
        int rejected = 0;
        for (Path article : files(directory.resolve("articles"), ".md")) {
            String key = ContentIngest.ARTICLES_PREFIX + article.getFileName();
            byte[] source = Files.readAllBytes(article);
            s3.putObject(request -> request.bucket(bucket).key(key).contentType("text/markdown; charset=utf-8"), RequestBody.fromBytes(source));
            try {
                ingest.ingest(key, source);
                articles++;
            } catch (InvalidSourceException e) {
                rejected++;
                out.println("sample " + key + " rejected: " + String.join("; ", e.problems()));
            } catch (RuntimeException e) {
                rejected++;
                out.println("sample " + key + " could not be published: " + e.getMessage());
            }
        }
        return new Loaded(articles, images, rejected);
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
        if (name.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/jpeg";
    }
}
