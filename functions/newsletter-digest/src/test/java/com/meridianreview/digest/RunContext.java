package com.meridianreview.digest;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;
import java.util.function.IntSupplier;

/** Lambda's context as a run sees it; {@code remaining} stands in for the time left before the deadline. */
final class RunContext implements Context {

    private final String requestId = UUID.randomUUID().toString();
    private final IntSupplier remaining;

    RunContext(IntSupplier remaining) {
        this.remaining = remaining;
    }

    static RunContext unhurried() {
        return new RunContext(() -> 900_000);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remaining.getAsInt();
    }

    @Override
    public String getLogGroupName() {
        return "digest";
    }

    @Override
    public String getLogStreamName() {
        return "digest";
    }

    @Override
    public String getFunctionName() {
        return "DigestFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:DigestFunction";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
