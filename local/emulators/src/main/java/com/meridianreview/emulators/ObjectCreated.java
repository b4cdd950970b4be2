package com.meridianreview.emulators;

import java.time.Instant;

/**
 * An object the S3 emulator stored, as S3 would announce it in an event notification.
 * {@code eventName} is S3's name without the "s3:" prefix ({@code ObjectCreated:Put},
 * {@code ObjectCreated:Copy}, {@code ObjectCreated:CompleteMultipartUpload}); {@code sequencer}
 * orders the events of one key, as S3's does.
 */
public record ObjectCreated(String eventName, String bucket, String key, long size, String eTag, String versionId,
                            String sequencer, Instant time) {
}
