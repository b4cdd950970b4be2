package com.meridianreview.editor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.meridianreview.core.Problem;
import com.meridianreview.core.Slugs;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an editor may upload, and where it goes. Keys are made here: an article's from its file
 * name once that name passes the slug rule, an image's from the month and a random id, so a
 * client's file name never becomes a path in any other way. SVG is never accepted: it can carry
 * script that would run on the site's own origin.
 */
final class UploadRules {

    static final long DEFAULT_ARTICLE_MAX_BYTES = 1024 * 1024;
    static final long DEFAULT_IMAGE_MAX_BYTES = 20L * 1024 * 1024;
    /** The request is four short fields; anything much larger is not one. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    static final String ARTICLE_TYPE = "text/markdown";
    static final String ARTICLES = "incoming/articles/";
    static final String IMAGES = "incoming/images/";
    private static final int MAX_FILE_NAME = 255;

    /** Accepted image types, each with the extension its key gets and the extensions a file name may have. */
    private static final Map<String, String> IMAGE_EXTENSIONS = Map.of(
            "image/jpeg", "jpg", "image/png", "png", "image/webp", "webp", "image/avif", "avif", "image/gif", "gif");
    private static final Map<String, Set<String>> NAME_EXTENSIONS = Map.of(
            "image/jpeg", Set.of("jpg", "jpeg"), "image/png", Set.of("png"), "image/webp", Set.of("webp"),
            "image/avif", Set.of("avif"), "image/gif", Set.of("gif"));
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    private static final Pattern STATUS_KEY = Pattern.compile(
            "incoming/(articles/[a-z0-9]+(-[a-z0-9]+)*\\.md|images/\\d{4}/\\d{2}/[0-9a-f]{24}\\.(jpg|png|webp|avif|gif))");

    private final long articleMaxBytes;
    private final long imageMaxBytes;
    private final JsonFactory json;
    private final Clock clock;
    private final SecureRandom random;

    UploadRules(long articleMaxBytes, long imageMaxBytes, JsonFactory json, Clock clock, SecureRandom random) {
        this.articleMaxBytes = articleMaxBytes;
        this.imageMaxBytes = imageMaxBytes;
        this.json = json;
        this.clock = clock;
        this.random = random;
    }

    /** Either the plan for a request that passes every rule, or why it does not. */
    sealed interface Checked permits Accepted, Refused {
    }

    record Accepted(UploadPlan plan) implements Checked {
    }

    record Refused(Problem problem) implements Checked {
    }

    /** The fields as they arrived, null where absent or of the wrong JSON type. */
    private static final class Fields {
        String kind;
        String fileName;
        String contentType;
        Long size;
        final List<Problem.FieldError> errors = new ArrayList<>();
    }

    Checked check(String body) {
        if (body.length() > MAX_REQUEST_BYTES) {
            return new Refused(Problem.of(413, "Request too large",
                    "an upload request is a small JSON object; this one has more than " + MAX_REQUEST_BYTES + " characters"));
        }
        Fields fields;
        try {
            fields = read(body);
        } catch (JsonProcessingException e) {
            return new Refused(Problem.of(400, "Not valid JSON",
                    "the body must be one JSON object with kind, fileName, contentType and size (" + e.getOriginalMessage() + ")"));
        } catch (IOException e) {
            return new Refused(Problem.of(400, "Not valid JSON", "the body could not be read as JSON"));
        }
        return check(fields);
    }

    private Fields read(String body) throws IOException {
        Fields fields = new Fields();
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseFailure(parser, "the body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "kind" -> fields.kind = text(parser, value, "kind", fields);
                    case "fileName" -> fields.fileName = text(parser, value, "fileName", fields);
                    case "contentType" -> fields.contentType = text(parser, value, "contentType", fields);
                    case "size" -> fields.size = size(parser, value, fields);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseFailure(parser, "there is more after the JSON object");
            }
        }
        return fields;
    }

    /** A parse failure the caller reports with its message, as Jackson's own. */
    private static final class JsonParseFailure extends com.fasterxml.jackson.core.JsonParseException {
        JsonParseFailure(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    private static String text(JsonParser parser, JsonToken value, String field, Fields fields) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        if (value != JsonToken.VALUE_NULL) {
            fields.errors.add(new Problem.FieldError(field, field + " must be a string"));
        }
        return null;
    }

    private static Long size(JsonParser parser, JsonToken value, Fields fields) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            // A whole number too large for a long is still a size, just far over any cap.
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (parser.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : parser.getLongValue();
        }
        parser.skipChildren();
        if (value != JsonToken.VALUE_NULL) {
            fields.errors.add(new Problem.FieldError("size", "size must be a whole number of bytes"));
        }
        return null;
    }

    private Checked check(Fields fields) {
        List<Problem.FieldError> errors = new ArrayList<>(fields.errors);
        UploadPlan.Kind kind = null;
        if (fields.kind == null) {
            missing(errors, "kind", "kind is required: \"article\" or \"image\"");
        } else if (fields.kind.equals("article")) {
            kind = UploadPlan.Kind.ARTICLE;
        } else if (fields.kind.equals("image")) {
            kind = UploadPlan.Kind.IMAGE;
        } else {
            errors.add(new Problem.FieldError("kind", "kind must be \"article\" or \"image\""));
        }
        String type = fields.contentType == null ? null : mediaType(fields.contentType);
        if (fields.contentType == null) {
            missing(errors, "contentType", "contentType is required, for example \"text/markdown\" or \"image/jpeg\"");
        }
        String fileName = fields.fileName;
        if (fileName == null) {
            missing(errors, "fileName", "fileName is required");
        } else {
            fileNameProblem(fileName).ifPresent(message -> errors.add(new Problem.FieldError("fileName", message)));
        }
        if (fields.size == null) {
            missing(errors, "size", "size is required: the file's length in bytes");
        } else if (fields.size < 1) {
            errors.add(new Problem.FieldError("size", "size must be at least 1 byte (an empty file is not an upload)"));
        }
        // The type is judged only once the kind is known; a type that fits neither is a 415 of its own.
        String typeProblem = kind == null || type == null ? null : typeProblem(kind, type);
        boolean nameFine = fileName != null && errors.stream().noneMatch(e -> e.field().equals("fileName"));
        if (nameFine && kind != null && typeProblem == null && type != null) {
            nameProblem(kind, type, fileName).ifPresent(message -> errors.add(new Problem.FieldError("fileName", message)));
        }
        if (!errors.isEmpty()) {
            if (typeProblem != null) {
                errors.add(new Problem.FieldError("contentType", typeProblem));
            }
            return new Refused(new Problem(400, "The upload request has errors", "fix every field listed in errors and ask again", errors));
        }
        if (typeProblem != null) {
            return new Refused(new Problem(415, "File type not accepted", typeProblem, List.of(new Problem.FieldError("contentType", typeProblem))));
        }
        long cap = kind == UploadPlan.Kind.ARTICLE ? articleMaxBytes : imageMaxBytes;
        if (fields.size > cap) {
            String message = "the file is " + fields.size + " bytes; " + (kind == UploadPlan.Kind.ARTICLE ? "an article source" : "an image")
                    + " may be at most " + cap + " bytes";
            return new Refused(new Problem(413, "File too large", message, List.of(new Problem.FieldError("size", message))));
        }
        String key = kind == UploadPlan.Kind.ARTICLE
                ? ARTICLES + fileName.substring(0, fileName.length() - 3) + ".md"
                : imageKey(IMAGE_EXTENSIONS.get(type));
        return new Accepted(new UploadPlan(kind, key, kind == UploadPlan.Kind.ARTICLE ? ARTICLE_TYPE : type, fields.size));
    }

    private static void missing(List<Problem.FieldError> errors, String field, String message) {
        if (errors.stream().noneMatch(e -> e.field().equals(field))) {
            errors.add(new Problem.FieldError(field, message));
        }
    }

    /** "Image/JPEG; charset=x" is "image/jpeg": parameters say nothing about what the file is. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String typeProblem(UploadPlan.Kind kind, String type) {
        if (type.contains("svg")) {
            return "SVG images are not accepted: an SVG file can carry script; export it as PNG";
        }
        if (kind == UploadPlan.Kind.ARTICLE) {
            return type.equals(ARTICLE_TYPE) ? null : "an article must be Markdown (text/markdown), not " + printable(type);
        }
        return IMAGE_EXTENSIONS.containsKey(type) ? null
                : "an image must be JPEG, PNG, WebP, AVIF or GIF (image/jpeg, image/png, image/webp, image/avif, image/gif), not " + printable(type);
    }

    private static java.util.Optional<String> fileNameProblem(String name) {
        if (name.isBlank()) {
            return java.util.Optional.of("fileName is empty");
        }
        if (name.length() > MAX_FILE_NAME) {
            return java.util.Optional.of("fileName is longer than " + MAX_FILE_NAME + " characters");
        }
        if (CONTROL.matcher(name).find()) {
            return java.util.Optional.of("fileName contains control or invisible formatting characters");
        }
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            return java.util.Optional.of("fileName must be a plain file name: no folders, no leading dot");
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> nameProblem(UploadPlan.Kind kind, String type, String name) {
        if (kind == UploadPlan.Kind.ARTICLE) {
            if (!name.endsWith(".md")) {
                return java.util.Optional.of("an article's file name ends in .md (got \"" + printable(name) + "\")");
            }
            String slug = name.substring(0, name.length() - 3);
            return Slugs.isValid(slug) ? java.util.Optional.empty() : java.util.Optional.of("the name before .md becomes the article's address, so it must be"
                    + " lower-case letters, digits and single hyphens, at most " + Slugs.MAX_LENGTH + " characters (for example talks-resume-in-geneva.md)");
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        Set<String> expected = NAME_EXTENSIONS.get(type);
        return expected.contains(extension) ? java.util.Optional.empty()
                : java.util.Optional.of("the file name ends in \"." + printable(extension) + "\" but the type is " + type
                + "; a file of that type ends in ." + String.join(" or .", new java.util.TreeSet<>(expected)));
    }

    private String imageKey(String extension) {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        byte[] id = new byte[12];
        random.nextBytes(id);
        return IMAGES + String.format(Locale.ROOT, "%04d/%02d/", now.getYear(), now.getMonthValue()) + HexFormat.of().formatHex(id) + "." + extension;
    }

    /** Whether a status request names a key this function could have made. */
    static boolean isUploadKey(String key) {
        return key != null && STATUS_KEY.matcher(key).matches();
    }

    /** Text from a request, safe to echo in an answer: bounded, without control characters. */
    private static String printable(String text) {
        String clean = CONTROL.matcher(text).replaceAll("?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }
}
