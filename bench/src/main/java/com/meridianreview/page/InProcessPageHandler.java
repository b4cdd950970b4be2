package com.meridianreview.page;

import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import java.util.Map;

/** A page handler built in the bench's own JVM with a function's template environment, for warm in-process timing. */
public final class InProcessPageHandler {

    private InProcessPageHandler() {
    }

    public static PageHandler create(Map<String, String> environment) {
        Config config = new Config(environment);
        return new PageHandler(config, AwsClients.dynamoDb(config));
    }
}
