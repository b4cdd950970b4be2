package com.meridianreview.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ingest function is invoked with, read with Jackson's streaming parser only: the
 * objects an S3 event notification names, or a request to rebuild the table from the bucket
 * ({@code {"rebuild": {"bucket": "...", "startAfter": "articles/..."}}}).
 */
final class S3EventRecords {

    /** A request to publish every source under articles/ again, starting after a key (null: from the first). */
    record RebuildRequest(String bucket, String startAfter) {
    }

    /** Either S3's records or a rebuild request. */
    record Event(List<Created> records, RebuildRequest rebuild) {
    }

    /**
     * One record: the bucket, the key as stored (S3 form-encodes it in events), the version written
     * (null in an unversioned bucket), and its sequencer.
     */
    record Created(String eventName, String bucket, String key, long size, String versionId, String sequencer) {
    }

    private final JsonFactory json;

    S3EventRecords(JsonFactory json) {
        this.json = json;
    }

    Event read(InputStream event) throws IOException {
        List<Created> records = new ArrayList<>();
        RebuildRequest rebuild = null;
        try (JsonParser parser = json.createParser(event)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("Records") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        records.add(record(parser));
                    }
                } else if (field.equals("rebuild") && value == JsonToken.START_OBJECT) {
                    rebuild = rebuild(parser);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return new Event(records, rebuild);
    }

    private static RebuildRequest rebuild(JsonParser parser) throws IOException {
        String bucket = null;
        String startAfter = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "bucket" -> bucket = parser.getValueAsString();
                case "startAfter" -> startAfter = parser.getValueAsString();
                default -> parser.skipChildren();
            }
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IOException("a rebuild names the bucket: {\"rebuild\": {\"bucket\": \"...\"}}");
        }
        return new RebuildRequest(bucket, startAfter);
    }

    private static Created record(JsonParser parser) throws IOException {
        String eventName = null;
        String bucket = null;
        String key = null;
        long size = 0;
        String versionId = null;
        String sequencer = "";
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("eventName")) {
                eventName = parser.getValueAsString();
            } else if (field.equals("s3") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String part = parser.currentName();
                    JsonToken partValue = parser.nextToken();
                    if (part.equals("bucket") && partValue == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            if (name.equals("name")) {
                                bucket = parser.getValueAsString();
                            } else {
                                parser.skipChildren();
                            }
                        }
                    } else if (part.equals("object") && partValue == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            switch (name) {
                                case "key" -> key = URLDecoder.decode(parser.getValueAsString(), StandardCharsets.UTF_8);
                                case "size" -> size = parser.getValueAsLong();
                                case "sequencer" -> sequencer = parser.getValueAsString("");
                                case "versionId" -> versionId = parser.getValueAsString();
                                default -> parser.skipChildren();
                            }
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        if (bucket == null || key == null) {
            throw new IOException("an S3 event record without a bucket name or object key");
        }
        return new Created(eventName, bucket, key, size, "null".equals(versionId) ? null : versionId, sequencer);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("the event is not a JSON object");
        }
    }
}
