package com.meridianreview.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line options of the local runner. */
final class Arguments {

    static final String USAGE = """
            usage: java -jar local/target/local-runner.jar [--port N] [--data DIR] [--no-sample] [--template FILE]
                   java -jar local/target/local-runner.jar invoke FUNCTION EVENT.json [--data DIR] [--template FILE]
                   java -jar local/target/local-runner.jar token [--editor] [--name NAME] [--minutes N] [--data DIR]
              --port N         port on 127.0.0.1 (default 3000)
              --data DIR       keep emulator state in DIR between runs (default local/.data)
              --no-sample      do not load the sample articles into an empty table
              --template FILE  the SAM template to serve (default infra/template.yaml)
              invoke           run one event (a file, or - for standard input) through the function with this
                               logical id, print its answer and stop, as "sam local invoke" does
              token            print a token the template's JWT authorizer accepts (token --help for more)""";

    private Arguments() {
    }

    /** The options, or null when help was asked for. */
    static LocalRunner.Options parse(String[] args) {
        Path root = projectRoot();
        int port = 3000;
        Path data = root.resolve("local").resolve(".data");
        boolean samples = true;
        Path template = root.resolve("infra").resolve("template.yaml");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> {
                    String value = value(args, ++i, "--port");
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, got " + value);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be between 0 and 65535");
                    }
                }
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--no-sample", "--no-samples" -> samples = false;
                case "--template" -> template = Path.of(value(args, ++i, "--template"));
                case "--help", "-h" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new LocalRunner.Options(port, data, samples, template, root.resolve("local").resolve("sample-content"), "");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** The nearest directory upwards holding infra/template.yaml, so the runner works from any folder of the project. */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra").resolve("template.yaml"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
