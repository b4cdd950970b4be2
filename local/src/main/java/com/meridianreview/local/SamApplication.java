package com.meridianreview.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the runner takes from a SAM template: its tables, buckets, functions with their HTTP API
 * routes and environments, the CDN paths served straight from a bucket, and the schedules, SNS
 * topics and SES event destinations that invoke functions. Local resource names
 * are the logical ids behind a prefix, so several runs can share one pair of emulators.
 */
final class SamApplication {

    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    static final String STACK = "meridian-local";

    record Table(String logicalId, String name, Map<String, Object> properties) {
    }

    record Bucket(String logicalId, String name, boolean versioned) {
    }

    /**
     * An HTTP API route; {@code authorizer} is the JWT authorizer that guards it, null for an open route.
     */
    record Route(String method, String path, JwtAuthorizer authorizer) {
        Route(String method, String path) {
            this(method, path, null);
        }

        String routeKey() {
            return method.equals("ANY") && path.equals("$default") ? "$default" : method + " " + path;
        }
    }

    /**
     * A JWT authorizer of an HTTP API: API Gateway admits a request only with a bearer token from
     * {@code issuer} for one of {@code audiences}, signed by the issuer's keys, within its lifetime.
     */
    record JwtAuthorizer(String name, String issuer, List<String> audiences) {
    }

    /** An S3 notification the template declares: object events on a bucket, filtered by key prefix and suffix. */
    record S3Trigger(String bucketLogicalId, List<String> events, String prefix, String suffix) {
        boolean matches(String eventName, String key) {
            boolean event = events.stream().anyMatch(e -> e.equals("s3:" + eventName)
                    || e.endsWith(":*") && ("s3:" + eventName).startsWith(e.substring(0, e.length() - 1)));
            return event && key.startsWith(prefix) && key.endsWith(suffix);
        }
    }

    record Function(String logicalId, String handler, Path codeUri, Map<String, String> environment, List<Route> routes,
                    List<S3Trigger> s3Triggers, String memory, String timeout, String runtime, String logFormat) {
        String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }

        String handlerMethod() {
            int separator = handler.indexOf("::");
            return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        }
    }

    /**
     * A CDN path pattern such as /images/* served from a bucket (the object key is the path without
     * its leading slash), with the headers its response headers policy adds.
     */
    record BucketPath(String pathPattern, String bucketLogicalId, Map<String, String> responseHeaders) {
        boolean matches(String path) {
            String pattern = pathPattern.startsWith("/") ? pathPattern : "/" + pathPattern;
            if (pattern.endsWith("*")) {
                return path.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return path.equals(pattern);
        }
    }

    /**
     * An EventBridge Scheduler schedule (SAM's ScheduleV2 event) that invokes a function. Its name
     * is the event's {@code Name}, else the event's own name; {@code input} is null when the
     * template gives none.
     */
    record Schedule(String functionLogicalId, String eventName, String name, String expression, ZoneId zone, String input, boolean enabled) {
        String arn() {
            return "arn:aws:scheduler:" + REGION + ":" + ACCOUNT + ":schedule/default/" + name;
        }
    }

    /** An SNS topic of the template; as in CloudFormation, its Ref is its ARN. */
    record Topic(String logicalId, String name, String arn) {
    }

    /** A function's SNS event: the function receives every message published to the topic with this ARN. */
    record SnsSubscription(String functionLogicalId, String eventName, String topicArn) {
    }

    /**
     * An SES configuration set's event destination that publishes mail events to an SNS topic;
     * {@code eventTypes} are its MatchingEventTypes in lower case (bounce, complaint, ...), empty for all.
     */
    record MailEventDestination(String logicalId, String topicArn, List<String> eventTypes) {
        boolean publishes(String eventType) {
            return eventTypes.isEmpty() || eventTypes.contains(eventType.toLowerCase(Locale.ROOT));
        }
    }

    /** What invokes functions besides HTTP requests and S3 writes. */
    private record EventSources(List<Schedule> schedules, List<Topic> topics, List<SnsSubscription> snsSubscriptions,
                                List<MailEventDestination> mailEventDestinations) {
    }

    private final List<Table> tables;
    private final List<Bucket> buckets;
    private final List<Function> functions;
    private final List<BucketPath> bucketPaths;
    private final EventSources events;

    private SamApplication(List<Table> tables, List<Bucket> buckets, List<Function> functions, List<BucketPath> bucketPaths, EventSources events) {
        this.tables = tables;
        this.buckets = buckets;
        this.functions = functions;
        this.bucketPaths = bucketPaths;
        this.events = events;
    }

    List<Schedule> schedules() {
        return events.schedules();
    }

    List<Topic> topics() {
        return events.topics();
    }

    List<SnsSubscription> snsSubscriptions() {
        return events.snsSubscriptions();
    }

    List<MailEventDestination> mailEventDestinations() {
        return events.mailEventDestinations();
    }

    List<Table> tables() {
        return tables;
    }

    List<Bucket> buckets() {
        return buckets;
    }

    List<Function> functions() {
        return functions;
    }

    List<BucketPath> bucketPaths() {
        return bucketPaths;
    }

    Bucket bucket(String logicalId) {
        return buckets.stream().filter(b -> b.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new TemplateException("no bucket " + logicalId + " in the template"));
    }

    static String bucketName(String prefix, String logicalId) {
        String name = (prefix + logicalId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    @SuppressWarnings("unchecked")
    static SamApplication load(Path templateFile, String prefix, Map<String, String> parameterOverrides) {
        if (!Files.isRegularFile(templateFile)) {
            throw new TemplateException("template not found: " + templateFile);
        }
        Map<String, Object> template = TemplateYaml.read(templateFile);
        Map<String, Object> resources = map(template.get("Resources"), "Resources");
        Map<String, Object> refs = new LinkedHashMap<>();
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        refs.put("AWS::Region", REGION);
        refs.put("AWS::AccountId", ACCOUNT);
        refs.put("AWS::StackName", STACK);
        refs.put("AWS::StackId", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + STACK + "/local");
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        refs.put("AWS::NoValue", null);
        Map<String, Object> parameters = template.containsKey("Parameters") ? map(template.get("Parameters"), "Parameters") : Map.of();
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            Object fallback = map(parameter.getValue(), "Parameters." + parameter.getKey()).get("Default");
            String value = parameterOverrides.getOrDefault(parameter.getKey(), fallback == null ? null : String.valueOf(fallback));
            if (value == null) {
                throw new TemplateException("parameter " + parameter.getKey() + " has no Default; the local runner needs one");
            }
            refs.put(parameter.getKey(), value);
        }
        boolean implicitApi = false;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            String id = entry.getKey();
            String type = String.valueOf(map(entry.getValue(), id).get("Type"));
            switch (type) {
                case "AWS::DynamoDB::Table" -> {
                    String name = prefix + id;
                    refs.put(id, name);
                    attributes.put(id, Map.of("Arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name,
                            "StreamArn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name + "/stream/local"));
                }
                case "AWS::S3::Bucket" -> {
                    String name = bucketName(prefix, id);
                    refs.put(id, name);
                    attributes.put(id, Map.of("Arn", "arn:aws:s3:::" + name,
                            "DomainName", name + ".s3.amazonaws.com",
                            "RegionalDomainName", name + ".s3." + REGION + ".amazonaws.com"));
                }
                case "AWS::Serverless::Function" -> {
                    refs.put(id, prefix + id);
                    attributes.put(id, Map.of("Arn", "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + prefix + id));
                    implicitApi = true;
                }
                case "AWS::SNS::Topic" -> {
                    String arn = topicArn(prefix + id);
                    refs.put(id, arn);
                    attributes.put(id, Map.of("TopicArn", arn, "TopicName", prefix + id));
                }
                default -> {
                    refs.put(id, "local-" + id);
                    attributes.put(id, Map.of("Arn", "arn:aws:local:" + REGION + ":" + ACCOUNT + ":" + id));
                }
            }
        }
        if (implicitApi && !refs.containsKey("ServerlessHttpApi")) {
            refs.put("ServerlessHttpApi", "local-api");
            attributes.put("ServerlessHttpApi", Map.of());
        }
        Map<String, Object> conditions = template.containsKey("Conditions") ? map(template.get("Conditions"), "Conditions") : Map.of();
        Map<String, Object> mappings = template.containsKey("Mappings") ? map(template.get("Mappings"), "Mappings") : Map.of();
        Intrinsics intrinsics = new Intrinsics(refs, attributes, conditions, mappings);

        Map<String, JwtAuthorizer> authorizers = new LinkedHashMap<>();
        String defaultAuthorizer = null;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = map(entry.getValue(), entry.getKey());
            if ("AWS::Serverless::HttpApi".equals(resource.get("Type")) && resource.get("Properties") instanceof Map<?, ?> properties
                    && properties.get("Auth") instanceof Map<?, ?> auth) {
                if (auth.get("Authorizers") instanceof Map<?, ?> declared) {
                    for (Map.Entry<?, ?> authorizer : declared.entrySet()) {
                        String name = String.valueOf(authorizer.getKey());
                        authorizers.put(name, jwtAuthorizer(entry.getKey() + ".Auth.Authorizers." + name, name, authorizer.getValue(), intrinsics));
                    }
                }
                if (auth.get("DefaultAuthorizer") != null) {
                    defaultAuthorizer = String.valueOf(auth.get("DefaultAuthorizer"));
                }
            }
        }

        Map<String, Object> globals = template.get("Globals") instanceof Map<?, ?> g && g.get("Function") instanceof Map<?, ?> f
                ? (Map<String, Object>) f : Map.of();
        List<Table> tables = new ArrayList<>();
        List<Bucket> buckets = new ArrayList<>();
        List<Function> functions = new ArrayList<>();
        List<BucketPath> bucketPaths = new ArrayList<>();
        List<Schedule> schedules = new ArrayList<>();
        List<Topic> topics = new ArrayList<>();
        List<SnsSubscription> snsSubscriptions = new ArrayList<>();
        List<MailEventDestination> mailEventDestinations = new ArrayList<>();
        Path baseDir = templateFile.toAbsolutePath().getParent();
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            String id = entry.getKey();
            Map<String, Object> resource = map(entry.getValue(), id);
            String type = String.valueOf(resource.get("Type"));
            Map<String, Object> properties = resource.get("Properties") == null ? Map.of() : map(resource.get("Properties"), id + ".Properties");
            switch (type) {
                case "AWS::DynamoDB::Table" ->
                        tables.add(new Table(id, (String) refs.get(id), (Map<String, Object>) intrinsics.resolve(properties, id)));
                case "AWS::S3::Bucket" -> buckets.add(new Bucket(id, (String) refs.get(id),
                        properties.get("VersioningConfiguration") instanceof Map<?, ?> versioning && "Enabled".equals(versioning.get("Status"))));
                case "AWS::Serverless::Function" -> {
                    functions.add(function(id, globals, properties, intrinsics, baseDir, authorizers, defaultAuthorizer));
                    schedules.addAll(schedules(id, properties, intrinsics));
                    snsSubscriptions.addAll(snsSubscriptions(id, properties, intrinsics));
                }
                case "AWS::CloudFront::Distribution" -> bucketPaths.addAll(cdnBucketPaths(id, properties, resources));
                case "AWS::SNS::Topic" -> topics.add(new Topic(id, prefix + id, topicArn(prefix + id)));
                case "AWS::SES::ConfigurationSetEventDestination" -> mailEventDestination(id, properties, intrinsics).ifPresent(mailEventDestinations::add);
                default -> {
                    // other resources (alarms, policies, the CDN's own settings) have no local counterpart
                }
            }
        }
        Set<String> scheduleNames = new HashSet<>();
        for (Schedule schedule : schedules) {
            if (!scheduleNames.add(schedule.name())) {
                throw new TemplateException("two schedules are named " + schedule.name() + "; give one of them another Name");
            }
        }
        return new SamApplication(tables, buckets, functions, bucketPaths,
                new EventSources(List.copyOf(schedules), List.copyOf(topics), List.copyOf(snsSubscriptions), List.copyOf(mailEventDestinations)));
    }

    static String topicArn(String name) {
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    /** The function's ScheduleV2 events; an expression AWS would refuse stops the runner as the deploy would fail. */
    private static List<Schedule> schedules(String id, Map<String, Object> properties, Intrinsics intrinsics) {
        List<Schedule> schedules = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> event : events(id, properties, "ScheduleV2").entrySet()) {
            String where = id + ".Events." + event.getKey();
            Map<String, Object> spec = event.getValue();
            String expression = intrinsics.resolveString(spec.get("ScheduleExpression"), where + ".ScheduleExpression");
            if (expression == null || expression.isBlank()) {
                throw new TemplateException(where + " needs a ScheduleExpression");
            }
            String zoneName = intrinsics.resolveString(spec.get("ScheduleExpressionTimezone"), where + ".ScheduleExpressionTimezone");
            ZoneId zone;
            try {
                zone = zoneName == null || zoneName.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zoneName);
            } catch (DateTimeException e) {
                throw new TemplateException(where + ".ScheduleExpressionTimezone: " + zoneName + " is not a time zone (an IANA name such as Europe/London)");
            }
            try {
                ScheduleExpression.parse(expression, zone);
            } catch (ScheduleExpression.Unsupported e) {
                // kept: such a schedule is fired on demand only, and the runner says so when it starts
            } catch (IllegalArgumentException e) {
                throw new TemplateException(where + ".ScheduleExpression " + e.getMessage());
            }
            String state = intrinsics.resolveString(spec.get("State"), where + ".State");
            if (state != null && !state.equals("ENABLED") && !state.equals("DISABLED")) {
                throw new TemplateException(where + ".State must be ENABLED or DISABLED, not " + state);
            }
            String name = intrinsics.resolveString(spec.get("Name"), where + ".Name");
            String input = intrinsics.resolveString(spec.get("Input"), where + ".Input");
            schedules.add(new Schedule(id, event.getKey(), name == null || name.isBlank() ? event.getKey() : name, expression.trim(), zone, input,
                    !"DISABLED".equals(state)));
        }
        return schedules;
    }

    /** The function's SNS events; Topic is an ARN, usually a !Ref to a topic of the template. */
    private static List<SnsSubscription> snsSubscriptions(String id, Map<String, Object> properties, Intrinsics intrinsics) {
        List<SnsSubscription> subscriptions = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> event : events(id, properties, "SNS").entrySet()) {
            String where = id + ".Events." + event.getKey() + ".Topic";
            String topic = intrinsics.resolveString(event.getValue().get("Topic"), where);
            if (topic == null || topic.isBlank()) {
                throw new TemplateException(where + " must name a topic (!Ref to an AWS::SNS::Topic)");
            }
            subscriptions.add(new SnsSubscription(id, event.getKey(), topic));
        }
        return subscriptions;
    }

    /** The Properties of each of a function's events of one Type, by event name. */
    private static Map<String, Map<String, Object>> events(String id, Map<String, Object> properties, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        if (properties.get("Events") instanceof Map<?, ?> events) {
            for (Map.Entry<?, ?> event : events.entrySet()) {
                String where = id + ".Events." + event.getKey();
                Map<String, Object> spec = map(event.getValue(), where);
                if (type.equals(spec.get("Type"))) {
                    found.put(String.valueOf(event.getKey()), spec.get("Properties") == null ? Map.of() : map(spec.get("Properties"), where + ".Properties"));
                }
            }
        }
        return found;
    }

    /** An event destination that publishes to SNS; one that is switched off, or goes elsewhere (CloudWatch, Firehose), is left out. */
    private static Optional<MailEventDestination> mailEventDestination(String id, Map<String, Object> properties, Intrinsics intrinsics) {
        if (!(intrinsics.resolve(properties.get("EventDestination"), id + ".EventDestination") instanceof Map<?, ?> destination)
                || !(destination.get("SnsDestination") instanceof Map<?, ?> sns)) {
            return Optional.empty();
        }
        if ("false".equalsIgnoreCase(String.valueOf(destination.get("Enabled")))) {
            return Optional.empty();
        }
        if (!(sns.get("TopicARN") instanceof String topicArn) || topicArn.isBlank()) {
            throw new TemplateException(id + ".EventDestination.SnsDestination needs a TopicARN");
        }
        List<String> types = destination.get("MatchingEventTypes") instanceof List<?> list
                ? list.stream().map(type -> String.valueOf(type).toLowerCase(Locale.ROOT)).toList() : List.of();
        return Optional.of(new MailEventDestination(id, topicArn, types));
    }

    @SuppressWarnings("unchecked")
    private static Function function(String id, Map<String, Object> globals, Map<String, Object> properties, Intrinsics intrinsics, Path baseDir,
                                     Map<String, JwtAuthorizer> authorizers, String defaultAuthorizer) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        merged.putAll(properties);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : List.of(globals, properties)) {
            if (source.get("Environment") instanceof Map<?, ?> env && env.get("Variables") instanceof Map<?, ?> variables) {
                for (Map.Entry<?, ?> variable : variables.entrySet()) {
                    String name = String.valueOf(variable.getKey());
                    String value = intrinsics.resolveString(variable.getValue(), id + ".Environment." + name);
                    if (value != null) {
                        environment.put(name, value);
                    }
                }
            }
        }
        String handler = intrinsics.resolveString(merged.get("Handler"), id + ".Handler");
        if (handler == null || handler.isBlank()) {
            throw new TemplateException(id + ": a function needs a Handler");
        }
        String codeUri = intrinsics.resolveString(merged.get("CodeUri"), id + ".CodeUri");
        if (codeUri == null) {
            throw new TemplateException(id + ": a function needs a CodeUri");
        }
        List<Route> routes = new ArrayList<>();
        List<S3Trigger> s3Triggers = new ArrayList<>();
        if (properties.get("Events") instanceof Map<?, ?> events) {
            for (Map.Entry<?, ?> event : events.entrySet()) {
                String where = id + ".Events." + event.getKey();
                Map<String, Object> spec = map(event.getValue(), where);
                Map<String, Object> eventProperties = spec.get("Properties") == null ? Map.of() : map(spec.get("Properties"), where);
                if ("HttpApi".equals(spec.get("Type"))) {
                    String method = String.valueOf(eventProperties.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT);
                    String path = String.valueOf(eventProperties.getOrDefault("Path", "$default"));
                    String authorizer = eventProperties.get("Auth") instanceof Map<?, ?> auth && auth.get("Authorizer") != null
                            ? String.valueOf(auth.get("Authorizer")) : defaultAuthorizer;
                    JwtAuthorizer guard = null;
                    if (authorizer != null && !authorizer.equals("NONE")) {
                        guard = authorizers.get(authorizer);
                        if (guard == null) {
                            throw new TemplateException(where + ".Auth names authorizer " + authorizer + ", which the HTTP API does not declare");
                        }
                    }
                    routes.add(new Route(method.equals("*") ? "ANY" : method, path, guard));
                } else if ("S3".equals(spec.get("Type"))) {
                    s3Triggers.add(s3Trigger(where, eventProperties));
                }
            }
        }
        Object logging = merged.get("LoggingConfig");
        String logFormat = logging instanceof Map<?, ?> config && config.get("LogFormat") != null ? String.valueOf(config.get("LogFormat")) : null;
        return new Function(id, handler, baseDir.resolve(codeUri).normalize(), environment, routes, s3Triggers,
                String.valueOf(merged.getOrDefault("MemorySize", "128")), String.valueOf(merged.getOrDefault("Timeout", "3")),
                String.valueOf(merged.getOrDefault("Runtime", "java21")), logFormat);
    }

    /** A SAM HttpApi authorizer with a JwtConfiguration (issuer, audience); other kinds are not served locally. */
    private static JwtAuthorizer jwtAuthorizer(String where, String name, Object declaration, Intrinsics intrinsics) {
        Map<String, Object> spec = map(declaration, where);
        if (!(spec.get("JwtConfiguration") instanceof Map<?, ?>)) {
            throw new TemplateException(where + ": only JWT authorizers (JwtConfiguration) are served locally");
        }
        Object resolved = intrinsics.resolve(spec.get("JwtConfiguration"), where + ".JwtConfiguration");
        Map<String, Object> jwt = map(resolved, where + ".JwtConfiguration");
        Object issuer = jwt.get("issuer");
        Object audience = jwt.get("audience");
        List<String> audiences = audience instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : audience == null ? List.of() : List.of(String.valueOf(audience));
        if (issuer == null || String.valueOf(issuer).isBlank() || audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
            throw new TemplateException(where + ".JwtConfiguration needs an issuer and an audience");
        }
        return new JwtAuthorizer(name, String.valueOf(issuer), audiences);
    }

    /** SAM's S3 event: Bucket must be a !Ref to a bucket of this template; Events one name or a list; Filter S3Key rules. */
    private static S3Trigger s3Trigger(String where, Map<String, Object> properties) {
        if (!(properties.get("Bucket") instanceof Map<?, ?> bucket) || !(bucket.get("Ref") instanceof String bucketId)) {
            throw new TemplateException(where + ".Bucket must be !Ref to a bucket in the same template");
        }
        Object events = properties.get("Events");
        List<String> names = events instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : events == null ? List.of() : List.of(String.valueOf(events));
        if (names.isEmpty()) {
            throw new TemplateException(where + ".Events names no S3 event");
        }
        String prefix = "";
        String suffix = "";
        if (properties.get("Filter") instanceof Map<?, ?> filter && filter.get("S3Key") instanceof Map<?, ?> s3Key
                && s3Key.get("Rules") instanceof List<?> rules) {
            for (Object rule : rules) {
                if (rule instanceof Map<?, ?> r) {
                    String name = String.valueOf(r.get("Name")).toLowerCase(Locale.ROOT);
                    if (name.equals("prefix")) {
                        prefix = String.valueOf(r.get("Value"));
                    } else if (name.equals("suffix")) {
                        suffix = String.valueOf(r.get("Value"));
                    }
                }
            }
        }
        return new S3Trigger(bucketId, names, prefix, suffix);
    }

    @SuppressWarnings("unchecked")
    private static List<BucketPath> cdnBucketPaths(String id, Map<String, Object> properties, Map<String, Object> resources) {
        List<BucketPath> paths = new ArrayList<>();
        if (!(properties.get("DistributionConfig") instanceof Map<?, ?> config)) {
            return paths;
        }
        Map<String, String> originBuckets = new LinkedHashMap<>();
        if (config.get("Origins") instanceof List<?> origins) {
            for (Object origin : origins) {
                Map<String, Object> o = (Map<String, Object>) origin;
                if (o.get("DomainName") instanceof Map<?, ?> domain && domain.get("Fn::GetAtt") instanceof List<?> att) {
                    String resource = String.valueOf(att.get(0));
                    if (resources.get(resource) instanceof Map<?, ?> r && "AWS::S3::Bucket".equals(r.get("Type"))) {
                        originBuckets.put(String.valueOf(o.get("Id")), resource);
                    }
                }
            }
        }
        if (config.get("CacheBehaviors") instanceof List<?> behaviors) {
            for (Object behavior : behaviors) {
                Map<String, Object> b = (Map<String, Object>) behavior;
                String bucket = originBuckets.get(String.valueOf(b.get("TargetOriginId")));
                if (bucket != null) {
                    paths.add(new BucketPath(String.valueOf(b.get("PathPattern")), bucket, responseHeaders(b.get("ResponseHeadersPolicyId"), resources)));
                }
            }
        }
        return paths;
    }

    /** The security headers a behaviour's response headers policy (a !Ref to one in the template) sets, as HTTP headers. */
    private static Map<String, String> responseHeaders(Object policyId, Map<String, Object> resources) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!(policyId instanceof Map<?, ?> ref) || !(ref.get("Ref") instanceof String id)
                || !(resources.get(id) instanceof Map<?, ?> policy) || !(policy.get("Properties") instanceof Map<?, ?> properties)
                || !(properties.get("ResponseHeadersPolicyConfig") instanceof Map<?, ?> config)
                || !(config.get("SecurityHeadersConfig") instanceof Map<?, ?> security)) {
            return headers;
        }
        if (security.get("ContentTypeOptions") != null) {
            headers.put("X-Content-Type-Options", "nosniff");
        }
        if (security.get("ContentSecurityPolicy") instanceof Map<?, ?> csp) {
            headers.put("Content-Security-Policy", String.valueOf(csp.get("ContentSecurityPolicy")));
        }
        if (security.get("FrameOptions") instanceof Map<?, ?> frame) {
            headers.put("X-Frame-Options", String.valueOf(frame.get("FrameOption")));
        }
        if (security.get("ReferrerPolicy") instanceof Map<?, ?> referrer) {
            headers.put("Referrer-Policy", String.valueOf(referrer.get("ReferrerPolicy")));
        }
        if (security.get("StrictTransportSecurity") instanceof Map<?, ?> hsts) {
            headers.put("Strict-Transport-Security", "max-age=" + hsts.get("AccessControlMaxAgeSec")
                    + (Boolean.TRUE.equals(hsts.get("IncludeSubdomains")) ? "; includeSubDomains" : ""));
        }
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new TemplateException(where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }
}
