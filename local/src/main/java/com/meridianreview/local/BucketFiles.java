package com.meridianreview.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The CDN's bucket-backed paths (such as /images/*), read from the S3 emulator. As CloudFront in
 * front of a private bucket, a path under a mount is either an object or not found: a key no object
 * can have (control characters, too long, dot segments...) or one the bucket refuses is simply
 * missing, never a server error. Only an emulator that does not answer is reported as such.
 */
final class BucketFiles {

    record File(byte[] bytes, String contentType, String etag, String cacheControl) {
    }

    record Mount(SamApplication.BucketPath path, String bucketName) {
    }

    /** What a path under a mount holds. */
    sealed interface Lookup permits Found, Missing, Unavailable {
    }

    record Found(File file) implements Lookup {
    }

    /** Nothing the CDN could serve at this path; the reason is for the runner's log. */
    record Missing(String reason) implements Lookup {
    }

    /** The emulator did not answer (stopped, failing or too slow); the reason is for the runner's log. */
    record Unavailable(String reason) implements Lookup {
    }

    /** S3's limit on a key's length, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;
    /**
     * S3Proxy's file store keeps each "/"-separated part of a key as a file name, and a file name
     * has at most 255 bytes: no object with a longer part can exist locally (asking fails with 500).
     */
    static final int MAX_KEY_PART_BYTES = 255;
    /** Reading an image from the emulator on loopback takes milliseconds; this bounds a hung one. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final S3Client s3;
    private final List<Mount> mounts;

    BucketFiles(S3Client s3, List<Mount> mounts) {
        this.s3 = s3;
        this.mounts = List.copyOf(mounts);
    }

    /** The headers the CDN adds to answers under the mount of this path (none outside every mount). */
    java.util.Map<String, String> responseHeaders(String path) {
        return mounts.stream().filter(mount -> mount.path().matches(path)).findFirst()
                .map(mount -> mount.path().responseHeaders()).orElse(java.util.Map.of());
    }

    /**
     * What the bucket holds at a request's raw (still percent-encoded) path; empty when no mount
     * covers the path, so that the HTTP API serves it.
     */
    Optional<Lookup> find(String rawPath) {
        for (Mount mount : mounts) {
            if (mount.path().matches(rawPath)) {
                return Optional.of(lookup(mount, rawPath));
            }
        }
        return Optional.empty();
    }

    private Lookup lookup(Mount mount, String rawPath) {
        String pattern = mount.path().pathPattern().startsWith("/") ? mount.path().pathPattern() : "/" + mount.path().pathPattern();
        String prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        String name;
        try {
            // As S3 reads a key from a request path (a '+' is a space there too).
            name = URLDecoder.decode(rawPath.substring(prefix.length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Missing("malformed escape in the key");
        }
        String key = prefix.substring(1) + name;
        String invalid = invalidKey(key, name, pattern.endsWith("*"));
        if (invalid != null) {
            return new Missing(invalid);
        }
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(request -> request.bucket(mount.bucketName()).key(key)
                    .overrideConfiguration(call -> call.apiCallTimeout(CALL_TIMEOUT)));
            String type = object.response().contentType();
            return new Found(new File(object.asByteArray(), type == null ? "application/octet-stream" : type, object.response().eTag(), object.response().cacheControl()));
        } catch (NoSuchKeyException e) {
            return new Missing("no such key");
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            // 400: a key S3 cannot read; 403: what a private bucket answers for a key it does not
            // hold (and the emulator for keys its signing cannot round-trip); 404: not there.
            if (status == 400 || status == 403 || status == 404) {
                return new Missing("S3 answered " + status + " " + code);
            }
            return new Unavailable("S3 answered " + status + " " + code);
        } catch (SdkException e) {
            return new Unavailable(e.getMessage());
        }
    }

    /** Why no object can have this key, or null when it may exist. */
    private static String invalidKey(String key, String name, boolean wildcard) {
        if (wildcard && name.isEmpty()) {
            return "no name after the path";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "key longer than " + MAX_KEY_BYTES + " bytes";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in the key";
            }
        }
        if (name.startsWith("/") || key.contains("//")) {
            return "empty part in the key";
        }
        for (String part : key.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return "dot segment in the key";
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_PART_BYTES) {
                return "a part of the key is longer than " + MAX_KEY_PART_BYTES + " bytes, which the emulator cannot store";
            }
        }
        return null;
    }
}
