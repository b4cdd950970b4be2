package com.meridianreview.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The signed request itself, as S3 will judge it: the runner's tests show the S3 emulator refusing
 * other types, lengths, keys and expired URLs; this pins down what the URL commits the client to.
 */
class UploadSignerTest {

    private final S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .build();

    @Test
    void theTypeAndLengthAreSignedAndTheClientIsToldToSendExactlyThem() {
        UploadSigner signer = new UploadSigner(presigner, "magazine-bucket", Duration.ofMinutes(15));
        Instant before = Instant.now();
        UploadSigner.SignedUpload signed = signer.sign(new UploadPlan(UploadPlan.Kind.IMAGE, "incoming/images/2026/11/abc.jpg", "image/jpeg", 12345));
        URI url = URI.create(signed.url());
        assertEquals("https", url.getScheme(), "S3 is reached over TLS (the bucket policy refuses anything else)");
        assertTrue(url.getHost().startsWith("magazine-bucket.s3.eu-west-1."), url.getHost());
        assertEquals("/incoming/images/2026/11/abc.jpg", url.getPath());
        String query = url.getRawQuery();
        assertTrue(query.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"), query);
        assertTrue(query.contains("X-Amz-Expires=900"), query);
        // No checksum is demanded: a browser cannot compute the SDK's CRC for a PUT.
        assertTrue(!query.toLowerCase().contains("checksum"), query);
        assertEquals(Map.of("Content-Type", "image/jpeg", "Content-Length", "12345"), signed.headers());
        assertTrue(!signed.expiresAt().isBefore(before.plus(Duration.ofMinutes(15))) && signed.expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(16))));
    }

    @Test
    void noUploadUrlLivesLongerThanFifteenMinutes() {
        for (Duration validity : List.of(Duration.ofMinutes(16), Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThrows(IllegalArgumentException.class, () -> new UploadSigner(presigner, "b", validity), validity.toString());
        }
    }
}
