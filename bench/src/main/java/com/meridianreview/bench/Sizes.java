package com.meridianreview.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipFile;

/** What a deployment uploads and what a reader downloads. */
final class Sizes {

    record Artifact(String function, long bytes, long classes) {
    }

    record PageWeight(String page, int htmlBytes, int gzippedBytes) {
    }

    static Artifact artifact(String function, Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            long classes = zip.stream().filter(e -> e.getName().endsWith(".class")).count();
            return new Artifact(function, Files.size(jar), classes);
        }
    }

    static PageWeight page(int port, String path) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(response.body());
        }
        return new PageWeight(path, response.body().length, gzipped.size());
    }
}
