package com.meridianreview.core;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells a backend that is down, slow or throttling (worth a 503 and a retry later) from a
 * request that is wrong (a bug, a missing table: worth a 500 and an alarm).
 */
public final class BackendOutage {

    private BackendOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            // Timeouts (call or attempt), refused or reset connections, unknown hosts: the SDK
            // reports all of them as client-side failures, after its retries.
            if (cause instanceof SdkClientException) {
                return true;
            }
        }
        return false;
    }
}
