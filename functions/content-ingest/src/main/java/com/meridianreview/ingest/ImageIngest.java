package com.meridianreview.ingest;

import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Image;
import com.meridianreview.core.StoredImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes an uploaded image: its type read from its bytes, its size checked before decoding,
 * its metadata (EXIF, GPS) stripped by re-encoding, and renditions for {@code srcset} written under
 * content-hashed names that can be cached for a year. The published image keeps its name, so
 * articles can name it; its size and renditions go to the table, and with the image's S3 metadata,
 * so that a rebuild from the bucket finds them again.
 */
final class ImageIngest {

    static final String IMAGES = "images/";
    static final String PUBLISHED_CACHE = "public, max-age=86400";
    static final String RENDITION_CACHE = "public, max-age=31536000, immutable";
    static final String WIDTH_METADATA = "image-width";
    static final String HEIGHT_METADATA = "image-height";
    static final String RENDITIONS_METADATA = "image-renditions";
    static final String SOURCE_METADATA = "image-source";
    private static final Map<String, List<String>> EXTENSIONS = Map.of(
            ImageFile.JPEG, List.of("jpg", "jpeg"),
            ImageFile.PNG, List.of("png"));

    private final S3Client s3;
    private final ContentStore store;

    ImageIngest(S3Client s3, ContentStore store) {
        this.s3 = s3;
        this.store = store;
    }

    /**
     * Publishes {@code bytes}, uploaded as {@code name} by the upload {@code source} (its key and
     * sequencer); the problems an editor must fix otherwise. The same upload delivered again is done already.
     */
    StoredImage publish(String bucket, String name, byte[] bytes, String source) throws InvalidImageException {
        ImageFile file = ImageFile.inspect(bytes);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        List<String> expected = EXTENSIONS.getOrDefault(file.format(), List.of(file.format()));
        if (!expected.contains(extension)) {
            throw new InvalidImageException(List.of("the file is a " + file.format().toUpperCase(Locale.ROOT) + " image but its name ends in ."
                    + extension + "; name it ." + expected.get(0) + " so that browsers and the CDN treat it as what it is"));
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,150}")) {
            throw new InvalidImageException(List.of("the file name may use letters, digits, dots, hyphens and underscores only (got \"" + name + "\")"));
        }
        var existing = store.image(name);
        if (existing.isPresent()) {
            if (source.equals(existing.get().source())) {
                return existing.get();
            }
            throw alreadyPublished(name);
        }
        Renditions.Result result = Renditions.render(bytes, file, name, name.substring(0, dot));
        List<Image.Rendition> renditions = new ArrayList<>();
        StringBuilder listed = new StringBuilder();
        for (Renditions.Rendition rendition : result.renditions()) {
            put(bucket, rendition, RENDITION_CACHE, Map.of());
            renditions.add(new Image.Rendition(rendition.name(), rendition.width(), rendition.height()));
            listed.append(listed.length() == 0 ? "" : ",").append(rendition.name()).append(':').append(rendition.width()).append(':').append(rendition.height());
        }
        Renditions.Rendition published = result.published();
        // Written after its renditions, so that a page that finds the image finds them too.
        put(bucket, published, PUBLISHED_CACHE, Map.of(WIDTH_METADATA, Integer.toString(published.width()),
                HEIGHT_METADATA, Integer.toString(published.height()), RENDITIONS_METADATA, listed.toString(), SOURCE_METADATA, source));
        StoredImage stored = new StoredImage(name, published.contentType(), published.width(), published.height(), renditions, source);
        if (!store.publishImage(stored, true)) {
            // Another upload of this name won the race; it is the published one.
            if (store.image(name).map(StoredImage::source).filter(source::equals).isPresent()) {
                return stored;
            }
            throw alreadyPublished(name);
        }
        return stored;
    }

    /** Pages that show it carry its size and renditions, and the CDN keeps both: a new picture under the old name would sit beside stale renditions for a year. */
    private static InvalidImageException alreadyPublished(String name) {
        return new InvalidImageException(List.of("an image named " + name + " is already published; upload the new picture under a new name"
                + " and change image.key in the articles that should show it"));
    }

    /** The image as its S3 metadata describes it, for a rebuild; empty for objects that are not published originals. */
    static java.util.Optional<StoredImage> fromMetadata(String name, String contentType, Map<String, String> metadata) {
        if (!metadata.containsKey(WIDTH_METADATA) || !metadata.containsKey(HEIGHT_METADATA)) {
            return java.util.Optional.empty();
        }
        List<Image.Rendition> renditions = new ArrayList<>();
        String listed = metadata.getOrDefault(RENDITIONS_METADATA, "");
        if (!listed.isEmpty()) {
            for (String rendition : listed.split(",")) {
                String[] parts = rendition.split(":");
                renditions.add(new Image.Rendition(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            }
        }
        return java.util.Optional.of(new StoredImage(name, contentType, Integer.parseInt(metadata.get(WIDTH_METADATA)),
                Integer.parseInt(metadata.get(HEIGHT_METADATA)), renditions, metadata.get(SOURCE_METADATA)));
    }

    private void put(String bucket, Renditions.Rendition image, String cacheControl, Map<String, String> metadata) {
        s3.putObject(request -> request.bucket(bucket).key(IMAGES + image.name()).contentType(image.contentType())
                .cacheControl(cacheControl).metadata(metadata), RequestBody.fromBytes(image.bytes()));
    }
}
