package com.meridianreview.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Listing;
import com.meridianreview.digest.DigestHandler;
import com.meridianreview.digest.InProcessDigestHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What sending the round-up costs the function itself: one issue to {@code subscribers} confirmed
 * readers, unpaced (so the figure is the function's work, not the SES quota's pause), with
 * DynamoDB and SES requests counted at the SDK. At the template's default rate of 10 a second
 * the pace, not the function, sets the time: 100 s per 1,000 subscribers.
 */
final class DigestRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int subscribers, int sent, double seconds, double msPerSubscriber, Map<String, Double> requestsPer1000ByOperation,
                  double dynamoDbRequestsPer1000, double sesRequestsPer1000) {
    }

    static Result run(Map<String, String> environment, int subscribers) throws Exception {
        InProcessDigestHandler.confirmedSubscribers(environment, "bench-digest-" + System.nanoTime() + ".example", subscribers);
        Config config = new Config(environment);
        // The sample stories are dated; the issue is the one due an hour after the newest of them.
        Instant newest = new ContentStore(AwsClients.dynamoDb(config), config.required("CONTENT_TABLE")).teasers(Listing.LATEST, 1, null)
                .items().get(0).publishedAt();
        DigestHandler handler = InProcessDigestHandler.create(environment, Map.of("SEND_RATE_PER_SECOND", "1000000"));
        byte[] event = ("{\"send\":\"weekly\",\"scheduledTime\":\"" + newest.plusSeconds(3600) + "\"}").getBytes(StandardCharsets.UTF_8);
        SdkTimer.reset();
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode answer = JSON.readTree(out.toByteArray());
        if (!"sent".equals(answer.path("result").asText())) {
            throw new IllegalStateException("the round-up did not finish: " + answer);
        }
        int sent = answer.path("sent").asInt();
        Map<String, Double> byOperation = new LinkedHashMap<>();
        SdkTimer.operations().forEach((operation, count) -> byOperation.put(operation, count * 1000.0 / sent));
        Map<String, Long> services = SdkTimer.services();
        return new Result(subscribers, sent, seconds, seconds * 1000 / sent, byOperation,
                services.getOrDefault("dynamodb", 0L) * 1000.0 / sent, services.getOrDefault("sesv2", 0L) * 1000.0 / sent);
    }
}
