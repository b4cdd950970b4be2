package com.meridianreview.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.meridianreview.emulators.ObjectCreated;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * S3 event notifications as the template declares them: each object written to an emulated
 * bucket becomes, for every function whose S3 event matches its bucket, event type and key
 * filter, one asynchronous invocation with the event document S3 sends.
 */
final class S3Notifications {

    record Subscription(String bucketName, SamApplication.S3Trigger trigger, FunctionPool function, String configurationId) {
    }

    private final List<Subscription> subscriptions;
    private final AsyncInvoker invoker;
    private final ObjectMapper json;

    S3Notifications(List<Subscription> subscriptions, AsyncInvoker invoker, ObjectMapper json) {
        this.subscriptions = List.copyOf(subscriptions);
        this.invoker = invoker;
        this.json = json;
    }

    /** Called by the S3 emulator after each successful write. */
    void objectCreated(ObjectCreated object) {
        for (Subscription subscription : subscriptions) {
            if (subscription.bucketName().equals(object.bucket()) && subscription.trigger().matches(object.eventName(), object.key())) {
                invoker.submit(subscription.function(), event(object, subscription.configurationId()), "s3://" + object.bucket() + "/" + object.key());
            }
        }
    }

    byte[] event(ObjectCreated object, String configurationId) {
        ObjectNode record = json.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", SamApplication.REGION);
        record.put("eventTime", object.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        record.put("eventName", object.eventName());
        record.putObject("userIdentity").put("principalId", "AWS:" + SamApplication.ACCOUNT);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        record.putObject("responseElements").put("x-amz-request-id", requestId).put("x-amz-id-2", requestId);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", object.bucket());
        bucket.putObject("ownerIdentity").put("principalId", SamApplication.ACCOUNT);
        bucket.put("arn", "arn:aws:s3:::" + object.bucket());
        ObjectNode target = s3.putObject("object");
        target.put("key", eventKey(object.key()));
        target.put("size", object.size());
        target.put("eTag", object.eTag());
        if (object.versionId() != null && !object.versionId().equals("null")) {
            target.put("versionId", object.versionId());
        }
        target.put("sequencer", object.sequencer());
        ObjectNode event = json.createObjectNode();
        event.putArray("Records").add(record);
        try {
            return json.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** S3 puts keys in events form-encoded (a space is "+"), leaving the slashes as they are. */
    static String eventKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }
}
