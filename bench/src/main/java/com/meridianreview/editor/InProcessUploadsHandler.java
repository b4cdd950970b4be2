package com.meridianreview.editor;

import com.fasterxml.jackson.core.JsonFactory;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import java.time.Clock;
import java.util.Map;

/** An editor-uploads handler built in the bench's own JVM with the function's template environment, for warm in-process timing. */
public final class InProcessUploadsHandler {

    private InProcessUploadsHandler() {
    }

    public static UploadsHandler create(Map<String, String> environment) {
        Config config = new Config(environment);
        return new UploadsHandler(config, AwsClients.dynamoDb(config), UploadsHandler.presigner(config), new JsonFactory(), Clock.systemUTC());
    }
}
