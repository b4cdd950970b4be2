package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** infra/template.yaml agrees with the code: handlers, artifacts, routes, variables, table and permissions. */
@ExtendWith(EmulatorsExtension.class)
class TemplateTest {

    private static final Path TEMPLATE = LocalRunnerTest.TEMPLATE;
    private final SamApplication application = SamApplication.load(TEMPLATE, "", Map.of());

    @Test
    void passesCfnLint() throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("cfn-lint", TEMPLATE.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "cfn-lint is not installed here (pip install cfn-lint), so the template was not linted");
            return;
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cfn-lint finished");
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "cfn-lint findings:\n" + report);
    }

    @Test
    void everyHandlerIsInItsArtifactWithOnlyTheConstructorLambdaUses() throws Exception {
        assertFalse(application.functions().isEmpty());
        for (SamApplication.Function function : application.functions()) {
            assertTrue(Files.isRegularFile(function.codeUri()), function.logicalId() + " CodeUri " + function.codeUri());
            try (URLClassLoader loader = new URLClassLoader(new URL[] {function.codeUri().toUri().toURL()}, null)) {
                Class<?> handler = Class.forName(function.handlerClass(), false, loader);
                assertTrue(Modifier.isPublic(handler.getModifiers()));
                Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
                assertTrue(streamHandler.isAssignableFrom(handler), function.handlerClass() + " is a RequestStreamHandler");
                assertNotNull(handler.getConstructor(), "Lambda needs a public no-argument constructor");
                assertEquals(1, handler.getConstructors().length, function.handlerClass() + ": the no-argument constructor is the only public one");
                assertEquals("handleRequest", function.handlerMethod());
            }
        }
    }

    @Test
    void theContentTableHasTheKeysAndIndexTheCodeUses() {
        SamApplication.Table table = application.tables().stream().filter(t -> t.logicalId().equals("ContentTable")).findFirst().orElseThrow();
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"), Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                table.properties().get("KeySchema"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> indexes = (List<Map<String, Object>>) table.properties().get("GlobalSecondaryIndexes");
        Map<String, Object> byListing = indexes.stream().filter(i -> i.get("IndexName").equals("ByListing")).findFirst().orElseThrow();
        assertEquals(List.of(Map.of("AttributeName", "listing", "KeyType", "HASH"), Map.of("AttributeName", "listedAt", "KeyType", "RANGE")),
                byListing.get("KeySchema"));
        assertEquals("true", String.valueOf(((Map<?, ?>) table.properties().get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled")));
        assertEquals("true", String.valueOf(table.properties().get("DeletionProtectionEnabled")));
    }

    @Test
    void thePageFunctionGetsTheVariablesItReadsAndMayOnlyRead() {
        SamApplication.Function page = function("RenderPageFunction");
        assertEquals("ContentTable", page.environment().get("CONTENT_TABLE"), "CONTENT_TABLE names the content table");
        assertTrue(page.environment().containsKey("SITE_URL"));

        Map<?, ?> resources = (Map<?, ?>) TemplateYaml.read(TEMPLATE).get("Resources");
        List<?> policies = (List<?>) ((Map<?, ?>) ((Map<?, ?>) resources.get("RenderPageFunction")).get("Properties")).get("Policies");
        Set<String> actions = new HashSet<>();
        Set<String> resourcesGranted = new HashSet<>();
        for (Object policy : policies) {
            assertTrue(policy instanceof Map<?, ?> p && p.containsKey("Statement"), "only explicit statements, no broad SAM policy templates: " + policy);
            for (Object statement : (List<?>) ((Map<?, ?>) policy).get("Statement")) {
                Map<?, ?> s = (Map<?, ?>) statement;
                assertEquals("Allow", s.get("Effect"));
                Object action = s.get("Action");
                (action instanceof List<?> list ? list : List.of(action)).forEach(a -> actions.add(String.valueOf(a)));
                Object resource = s.get("Resource");
                (resource instanceof List<?> list ? list : List.of(resource)).forEach(r -> resourcesGranted.add(String.valueOf(r)));
            }
        }
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:Query"), actions, "readers' pages never need to write");
        assertEquals(Set.of("{Fn::GetAtt=[ContentTable, Arn]}", "{Fn::Sub=${ContentTable.Arn}/index/ByListing}"), resourcesGranted,
                "the content table and its listing index, nothing else");
    }

    @Test
    void theEditorFunctionMaySignUploadsUnderIncomingAndReadUploadReportsOnly() {
        SamApplication.Function editor = function("EditorUploadsFunction");
        assertEquals("ContentTable", editor.environment().get("CONTENT_TABLE"));
        assertEquals("imagebucket", editor.environment().get("UPLOAD_BUCKET"));
        Map<?, ?> resources = (Map<?, ?>) TemplateYaml.read(TEMPLATE).get("Resources");
        List<?> policies = (List<?>) ((Map<?, ?>) ((Map<?, ?>) resources.get("EditorUploadsFunction")).get("Properties")).get("Policies");
        Map<String, Object> granted = new java.util.TreeMap<>();
        for (Object policy : policies) {
            for (Object statement : (List<?>) ((Map<?, ?>) policy).get("Statement")) {
                Map<?, ?> st = (Map<?, ?>) statement;
                assertEquals("Allow", st.get("Effect"));
                granted.put(String.valueOf(st.get("Action")), String.valueOf(st.get("Resource")) + " " + st.get("Condition"));
            }
        }
        assertEquals(Map.of(
                "s3:PutObject", "{Fn::Sub=${ImageBucket.Arn}/incoming/*} null",
                "dynamodb:GetItem", "{Fn::GetAtt=[ContentTable, Arn]} {ForAllValues:StringLike={dynamodb:LeadingKeys=[upload#incoming/*]}}"), granted,
                "a signed URL carries the signer's permissions: writing under incoming/ is all it can do; of the table, upload reports only");

        Map<String, SamApplication.JwtAuthorizer> guards = new java.util.TreeMap<>();
        editor.routes().forEach(route -> guards.put(route.routeKey(), route.authorizer()));
        SamApplication.JwtAuthorizer token = new SamApplication.JwtAuthorizer("EditorToken",
                "https://cognito-idp.us-east-1.amazonaws.com/local-EditorPool", List.of("local-EditorPoolClient"));
        assertEquals(token, guards.get("POST /api/editor/uploads"));
        assertEquals(token, guards.get("GET /api/editor/uploads/status"));
        assertEquals(null, guards.get("GET /editor"), "the page holds no data and is open");
        assertEquals(null, guards.get("GET /editor/{asset}"));
        assertEquals(4, guards.size());
        for (SamApplication.Function other : application.functions()) {
            if (!other.logicalId().equals("EditorUploadsFunction")) {
                // Every route under /api/editor/ needs an editor's token, whichever function serves it; every other route is for readers.
                other.routes().forEach(route -> assertEquals(route.path().startsWith("/api/editor/"), route.authorizer() != null, route.routeKey()));
            }
        }
    }

    @Test
    void theRelatedStoriesFunctionMayOnlyReadArticleItems() {
        SamApplication.Function related = function("RelatedStoriesFunction");
        assertEquals("ContentTable", related.environment().get("CONTENT_TABLE"));
        assertEquals(List.of("GET /api/related/{slug}"), related.routes().stream().map(SamApplication.Route::routeKey).toList());
        Map<?, ?> resources = (Map<?, ?>) TemplateYaml.read(TEMPLATE).get("Resources");
        List<?> policies = (List<?>) ((Map<?, ?>) ((Map<?, ?>) resources.get("RelatedStoriesFunction")).get("Properties")).get("Policies");
        assertEquals(1, policies.size());
        List<?> statements = (List<?>) ((Map<?, ?>) policies.get(0)).get("Statement");
        assertEquals(1, statements.size());
        Map<?, ?> statement = (Map<?, ?>) statements.get(0);
        assertEquals("dynamodb:GetItem", statement.get("Action"), "read-only, one item at a time");
        assertEquals("{ForAllValues:StringLike={dynamodb:LeadingKeys=[article#*]}}", String.valueOf(statement.get("Condition")));
        // The CDN keeps one copy per limit, and no other query string splits its cache.
        String template = TemplateYaml.read(TEMPLATE).toString();
        assertTrue(template.contains("QueryStrings=[after, expires, sig, limit]"), "the page cache policy passes limit on");
    }

    @Test
    void subscribersAreReachableByTheNewsletterFunctionsAloneWhichMaySendFromTheirIdentityOnly() {
        SamApplication.Function newsletter = function("NewsletterFunction");
        assertEquals("SubscribersTable", newsletter.environment().get("SUBSCRIBERS_TABLE"));
        assertEquals(java.util.Set.of("POST /api/newsletter/subscriptions", "GET /newsletter/confirm", "POST /newsletter/confirm",
                "GET /newsletter/unsubscribe", "POST /newsletter/unsubscribe", "GET /newsletter/box.js"),
                new java.util.HashSet<>(newsletter.routes().stream().map(SamApplication.Route::routeKey).toList()));
        Map<?, ?> resources = (Map<?, ?>) TemplateYaml.read(TEMPLATE).get("Resources");
        for (Map.Entry<?, ?> resource : resources.entrySet()) {
            if (!java.util.Set.of("NewsletterFunction", "DigestFunction", "SubscribersTable").contains(resource.getKey())) {
                String text = String.valueOf(resource.getValue());
                assertFalse(text.contains("SubscribersTable"), resource.getKey() + " must not reach the subscribers");
            }
        }
        List<?> statements = (List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) resources.get("NewsletterFunction")).get("Properties"))
                .get("Policies")).get(0)).get("Statement");
        Map<String, String> granted = new java.util.TreeMap<>();
        for (Object statement : statements) {
            Map<?, ?> st = (Map<?, ?>) statement;
            granted.put(String.valueOf(st.get("Sid")), st.get("Action") + " on " + st.get("Resource"));
        }
        assertEquals("[dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:Query, dynamodb:Scan] on "
                + "{Fn::GetAtt=[SubscribersTable, Arn]}", granted.get("Subscribers"));
        assertTrue(granted.get("SendFromTheNewsletterIdentityOnly").startsWith("ses:SendEmail on "), granted.toString());
        assertTrue(granted.get("SendFromTheNewsletterIdentityOnly").contains(":identity/${NewsletterIdentity}"), granted.toString());
        assertEquals(2, granted.size());
        assertTrue(function("RenderPageFunction").environment().containsKey("NEWSLETTER_CONSENT_VERSION"), "the box shows the consent version");
    }

    @Test
    void theRoundUpIsScheduledSendsFromTheIdentityAndWritesOnlyItsIssuesToTheContentTable() {
        SamApplication.Function digest = function("DigestFunction");
        assertEquals("SubscribersTable", digest.environment().get("SUBSCRIBERS_TABLE"));
        assertEquals(java.util.Set.of("GET /api/editor/newsletter/preview", "POST /api/editor/newsletter/test-sends"),
                new java.util.HashSet<>(digest.routes().stream().map(SamApplication.Route::routeKey).toList()));
        assertTrue(digest.routes().stream().allMatch(route -> route.authorizer() != null), "editors only");
        Map<?, ?> resources = (Map<?, ?>) TemplateYaml.read(TEMPLATE).get("Resources");
        Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) resources.get("DigestFunction")).get("Properties");
        Map<?, ?> events = (Map<?, ?>) properties.get("Events");
        Map<?, ?> weekly = (Map<?, ?>) ((Map<?, ?>) events.get("WeeklySend")).get("Properties");
        assertEquals("ScheduleV2", ((Map<?, ?>) events.get("WeeklySend")).get("Type"));
        assertTrue(String.valueOf(weekly.get("Input")).contains("<aws.scheduler.scheduled-time>"), "the occurrence names the issue");
        assertEquals("SNS", ((Map<?, ?>) events.get("MailEvents")).get("Type"));
        List<?> statements = (List<?>) ((Map<?, ?>) ((List<?>) properties.get("Policies")).get(0)).get("Statement");
        Map<String, Map<?, ?>> granted = new java.util.TreeMap<>();
        for (Object statement : statements) {
            granted.put(String.valueOf(((Map<?, ?>) statement).get("Sid")), (Map<?, ?>) statement);
        }
        assertEquals(java.util.Set.of("SubscribersAndDeliveries", "ReadStories", "ArchiveIssues", "SendFromTheNewsletterIdentityOnly"), granted.keySet());
        assertEquals("dynamodb:PutItem", granted.get("ArchiveIssues").get("Action"));
        assertTrue(String.valueOf(granted.get("ArchiveIssues").get("Condition")).contains("dynamodb:LeadingKeys=[newsletter#weekly]"),
                String.valueOf(granted.get("ArchiveIssues")));
        assertEquals("[dynamodb:GetItem, dynamodb:Query]", String.valueOf(granted.get("ReadStories").get("Action")));
        assertTrue(Integer.parseInt(String.valueOf(properties.get("Timeout"))) >= 60, "a send has time to run");
        assertEquals("{Fn::GetAtt=[DigestFailures, Arn]}", String.valueOf(((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) properties.get("EventInvokeConfig"))
                .get("DestinationConfig")).get("OnFailure")).get("Destination")), "a failed event is kept");
        assertEquals("MeridianReview/Digest", ((Map<?, ?>) ((Map<?, ?>) resources.get("DigestStoppedAlarm")).get("Properties")).get("Namespace"));
    }

    @Test
    void anotherIdentityProviderCanStandInForTheUserPool() {
        SamApplication other = SamApplication.load(TEMPLATE, "", Map.of("JwtIssuer", "https://login.example.org/", "JwtAudience", "magazine-editors"));
        SamApplication.Function editor = other.functions().stream().filter(f -> f.logicalId().equals("EditorUploadsFunction")).findFirst().orElseThrow();
        assertEquals(new SamApplication.JwtAuthorizer("EditorToken", "https://login.example.org/", List.of("magazine-editors")),
                editor.routes().get(0).authorizer());
        assertEquals("", editor.environment().get("EDITOR_SIGN_IN_URL"), "no Cognito hosted sign-in then");
    }

    @Test
    void publishedVersionsStartFromASnapStartSnapshot() {
        Map<String, Object> template = TemplateYaml.read(TEMPLATE);
        Map<?, ?> globals = (Map<?, ?>) ((Map<?, ?>) template.get("Globals")).get("Function");
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), globals.get("SnapStart"), "PageHandler primes itself for the snapshot");
        assertEquals("live", globals.get("AutoPublishAlias"), "SnapStart applies only to published versions");
        assertEquals("java21", globals.get("Runtime"));
    }

    @Test
    void theRoutesAreThePagesReadersUse() {
        Set<String> routes = new HashSet<>();
        function("RenderPageFunction").routes().forEach(r -> routes.add(r.routeKey()));
        // ANY, so that HEAD requests reach the function (HTTP API sends HEAD only to ANY routes).
        assertEquals(Set.of("ANY /", "ANY /articles/{slug}", "ANY /sections/{slug}", "ANY /regions/{slug}", "ANY /tags/{slug}", "ANY /authors/{slug}",
                "ANY /preview/{slug}", "ANY /newsletter/issues/{date}", "ANY /feed.xml", "ANY /sections/{slug}/feed.xml", "ANY /regions/{slug}/feed.xml", "ANY /tags/{slug}/feed.xml",
                "ANY /authors/{slug}/feed.xml", "ANY /sitemap.xml", "ANY /sitemaps/{name}", "ANY /news-sitemap.xml", "ANY /robots.txt", "$default"), routes);
        assertEquals(List.of(new SamApplication.BucketPath("/images/*", "ImageBucket", Map.of(
                        "X-Content-Type-Options", "nosniff",
                        "Content-Security-Policy", "default-src 'none'; sandbox",
                        "Strict-Transport-Security", "max-age=31536000"))),
                application.bucketPaths(), "the CDN serves images from the bucket with the headers its policy sets, which the runner sends too");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCdnAddsSecurityHeadersToPagesAndProvesItselfToTheOrigin() {
        Map<String, Object> resources = (Map<String, Object>) TemplateYaml.read(TEMPLATE).get("Resources");
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) resources.get("Cdn")).get("Properties")).get("DistributionConfig");
        Map<String, Object> pages = (Map<String, Object>) config.get("DefaultCacheBehavior");
        assertEquals(Map.of("Ref", "PageHeadersPolicy"), pages.get("ResponseHeadersPolicyId"));
        Map<String, Object> security = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) resources.get("PageHeadersPolicy"))
                .get("Properties")).get("ResponseHeadersPolicyConfig")).get("SecurityHeadersConfig");
        assertEquals(Map.of("AccessControlMaxAgeSec", 31536000, "IncludeSubdomains", false, "Override", true), security.get("StrictTransportSecurity"));
        assertEquals(Map.of("FrameOption", "DENY", "Override", true), security.get("FrameOptions"));
        assertEquals(Map.of("Override", true), security.get("ContentTypeOptions"));

        Map<String, Object> origin = ((List<Map<String, Object>>) config.get("Origins")).stream().filter(o -> o.get("Id").equals("pages")).findFirst().orElseThrow();
        assertEquals(Map.of("Fn::If", List.of("HasOriginSecret",
                        List.of(Map.of("HeaderName", "X-Origin-Verify", "HeaderValue", Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", Map.of("Ref", "OriginSecret"))))))),
                        Map.of("Ref", "AWS::NoValue"))),
                origin.get("OriginCustomHeaders"), "the CDN sends the first of the secrets");
        assertEquals("", function("RenderPageFunction").environment().get("ORIGIN_SECRETS"),
                "the page function reads the same parameter (empty by default, and locally: not checked)");
    }

    @Test
    void aTemplateThatDoesNotMatchTheCodeFailsWithOneClearLine(TestResources resources, @TempDir Path dir) throws IOException {
        String template = Files.readString(TEMPLATE);
        Path copy = dir.resolve("template.yaml");

        Files.writeString(copy, template.replace("com.meridianreview.page.PageHandler::handleRequest", "com.meridianreview.page.PageHandlr::handleRequest")
                .replace("../functions/", TEMPLATE.toAbsolutePath().getParent().resolve("../functions/").normalize() + "/"));
        assertEquals("RenderPageFunction: Handler class com.meridianreview.page.PageHandlr is not in render-page-lambda.jar", startFailure(resources, copy));

        Files.writeString(copy, template.replace("!Ref ContentTable", "!Ref ContentTabel"));
        assertEquals("RenderPageFunction.Environment.CONTENT_TABLE: !Ref ContentTabel names no parameter or resource in the template", startFailure(resources, copy));

        Files.writeString(copy, template.replace("../functions/render-page/target/render-page-lambda.jar", "../functions/render-page/target/missing.jar")
                .replace("../functions/", TEMPLATE.toAbsolutePath().getParent().resolve("../functions/").normalize() + "/"));
        assertTrue(startFailure(resources, copy).matches("RenderPageFunction: CodeUri .*/functions/render-page/target/missing.jar does not exist; .*"));
    }

    @Test
    void aFunctionThatCannotInitialiseAnswersAsApiGatewayDoesAndTheLogSaysWhy(TestResources resources, @TempDir Path dir) throws Exception {
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, Files.readString(TEMPLATE).replace("          CONTENT_TABLE: !Ref ContentTable\n", "")
                .replace("../functions/", TEMPLATE.toAbsolutePath().getParent().resolve("../functions/").normalize() + "/"));
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
        try (LocalRunner runner = LocalRunner.start(new LocalRunner.Options(0, null, false, copy, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new java.io.PrintStream(output, true, StandardCharsets.UTF_8))) {
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + runner.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
        }
        String log = output.toString(StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s).*RenderPageFunction GET / 500 in \\d+ ms: init error: .*environment variable CONTENT_TABLE is not set.* \\[[0-9a-f-]{36}\\].*"), log);
    }

    private String startFailure(TestResources resources, Path template) {
        TemplateException failure = assertThrows(TemplateException.class, () -> LocalRunner.start(
                new LocalRunner.Options(0, null, false, template, LocalRunnerTest.SAMPLES, resources.prefix()), resources.emulators(), System.out));
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
        return failure.getMessage();
    }

    private SamApplication.Function function(String id) {
        return application.functions().stream().filter(f -> f.logicalId().equals(id)).findFirst().orElseThrow();
    }
}
