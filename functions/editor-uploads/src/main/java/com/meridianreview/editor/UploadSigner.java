package com.meridianreview.editor;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Signs the one PUT an upload plan allows. {@code Content-Type} and {@code Content-Length} are in
 * the signature, so the store refuses a file of any other type or length; the URL carries the
 * signer's permissions, which is why this function's role may write under incoming/ and nowhere else.
 */
final class UploadSigner {

    /** The longest an upload URL is valid: long enough for 20 MB on a slow line, short enough to be useless once leaked. */
    static final Duration MAX_VALIDITY = Duration.ofMinutes(15);

    /** The upload as the client must send it: where, and exactly which headers. */
    record SignedUpload(String url, Map<String, String> headers, Instant expiresAt) {
    }

    private final S3Presigner presigner;
    private final String bucket;
    private final Duration validity;

    UploadSigner(S3Presigner presigner, String bucket, Duration validity) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("an upload URL is valid for between 1 second and " + MAX_VALIDITY.toMinutes() + " minutes");
        }
        this.presigner = presigner;
        this.bucket = bucket;
        this.validity = validity;
    }

    SignedUpload sign(UploadPlan plan) {
        PresignedPutObjectRequest signed = presigner.presignPutObject(request -> request
                .signatureDuration(validity)
                .putObjectRequest(put -> put.bucket(bucket).key(plan.key()).contentType(plan.contentType()).contentLength(plan.size())));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : signed.signedHeaders().entrySet()) {
            // The client's HTTP stack sets Host from the URL itself.
            if (!header.getKey().equalsIgnoreCase("host")) {
                headers.put(canonical(header.getKey()), String.join(",", header.getValue()));
            }
        }
        return new SignedUpload(signed.url().toString(), headers, signed.expiration());
    }

    /** The scheme, host and port upload URLs point at (the page may send files there and nowhere else). */
    String storeOrigin() {
        java.net.URI url = java.net.URI.create(sign(new UploadPlan(UploadPlan.Kind.ARTICLE, UploadRules.ARTICLES + "origin.md", UploadRules.ARTICLE_TYPE, 1)).url());
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String canonical(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "content-type" -> "Content-Type";
            case "content-length" -> "Content-Length";
            default -> name;
        };
    }
}
