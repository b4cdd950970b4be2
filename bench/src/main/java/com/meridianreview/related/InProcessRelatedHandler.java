package com.meridianreview.related;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import java.time.Clock;
import java.util.Map;

/**
 * A related-stories handler built in the bench's own JVM with the function's template environment
 * (or a copy pointing CONTENT_TABLE at a synthetic corpus), for warm in-process timing.
 */
public final class InProcessRelatedHandler {

    private InProcessRelatedHandler() {
    }

    public static RelatedHandler create(Map<String, String> environment) {
        Config config = new Config(environment);
        return new RelatedHandler(config, AwsClients.dynamoDb(config), new JsonFactory(), Clock.systemUTC());
    }
}
