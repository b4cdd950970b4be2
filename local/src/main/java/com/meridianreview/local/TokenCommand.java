package com.meridianreview.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code token [--editor] [--name NAME] ...}: prints a token that the runner's authorizer accepts,
 * signed with the key in the data directory, for the issuer and audience the template declares.
 * The token alone goes to standard output, so that {@code TOKEN=$(... token --editor)} works.
 */
final class TokenCommand {

    static final String USAGE = """
            usage: java -jar local/target/local-runner.jar token [--editor] [--name NAME] [--email EMAIL] [--subject ID]
                                                                 [--group G]... [--minutes N] [--data DIR] [--template FILE]
              --editor         a member of the editors group (without it: signed in, but not an editor)
              --name NAME      the holder's name (default "Local Editor")
              --minutes N      how long the token is valid (default 60, at most 1440)
              --data DIR       the runner's data directory, whose signing key the runner trusts (default local/.data)""";

    private TokenCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path root = Arguments.projectRoot();
        Path data = root.resolve("local").resolve(".data");
        Path template = root.resolve("infra").resolve("template.yaml");
        String name = "Local Editor";
        String email = null;
        String subject = null;
        List<String> groups = new ArrayList<>();
        long minutes = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--editor" -> groups.add("editors");
                    case "--group" -> groups.add(value(args, ++i));
                    case "--name" -> name = value(args, ++i);
                    case "--email" -> email = value(args, ++i);
                    case "--subject" -> subject = value(args, ++i);
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--template" -> template = Path.of(value(args, ++i));
                    case "--minutes" -> {
                        String value = value(args, ++i);
                        try {
                            minutes = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--minutes needs a number, got " + value);
                        }
                        if (minutes < 1 || minutes > 1440) {
                            throw new IllegalArgumentException("--minutes must be between 1 and 1440");
                        }
                    }
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            // The same parameters as a run, so the issuer and audience resolve as the runner resolves them.
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put(LocalRunner.SITE_URL_PARAMETER, "http://127.0.0.1");
            SsmParameters.values(template, data).forEach(parameters::putIfAbsent);
            SamApplication application = SamApplication.load(template, "", parameters);
            SamApplication.JwtAuthorizer authorizer = IdentityProvider.firstAuthorizer(application)
                    .orElseThrow(() -> new TemplateException("the template declares no JWT authorizer on any route"));
            if (subject == null) {
                subject = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
            }
            IdentityProvider identity = IdentityProvider.in(data, Clock.systemUTC());
            out.println(identity.issue(authorizer, new IdentityProvider.Holder(subject, name, email, groups, Duration.ofMinutes(minutes))));
            err.println("A token for " + name + (groups.isEmpty() ? " (not in any group)" : " (groups: " + String.join(", ", groups) + ")")
                    + ", valid " + minutes + " minutes, for a runner using " + data);
            return 0;
        } catch (TemplateException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
