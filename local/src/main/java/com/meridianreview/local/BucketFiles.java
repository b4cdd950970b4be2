package com.meridianreview.local;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The CDN's bucket-backed paths (such as /images/*), read from the S3 emulator. */
final class BucketFiles {

    record File(byte[] bytes, String contentType, String etag) {
    }

    record Mount(SamApplication.BucketPath path, String bucketName) {
    }

    private final S3Client s3;
    private final List<Mount> mounts;

    BucketFiles(S3Client s3, List<Mount> mounts) {
        this.s3 = s3;
        this.mounts = List.copyOf(mounts);
    }

    Optional<File> find(String path) {
        for (Mount mount : mounts) {
            if (mount.path().matches(path) && !path.contains("..")) {
                String key = path.substring(1);
                try {
                    ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(request -> request.bucket(mount.bucketName()).key(key));
                    String type = object.response().contentType();
                    return Optional.of(new File(object.asByteArray(), type == null ? "application/octet-stream" : type, object.response().eTag()));
                } catch (NoSuchKeyException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
