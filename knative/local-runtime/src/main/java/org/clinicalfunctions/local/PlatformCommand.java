package org.clinicalfunctions.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Command line of the local platform.
 *
 * <pre>
 *   up                              start everything and run until Ctrl-C (SIGINT) or SIGTERM
 *   replay FOLDER [--ingress URL] [--concurrency N] [--rounds N]
 *                                   post every file of FOLDER to hl7-ingest and print the summary
 *   dead-letters [--ingress URL]    list dead-lettered events
 *   parked [--ingress URL]          list events no Trigger consumed
 *   redeliver [ID] [--ingress URL]  send one dead letter (or all) through the broker again
 *   cold-start [--runs N]           start each function alone N times; print process start to ready
 *   token [--patient ID] [--scope "SCOPES"] [--ingress URL]
 *                                   print a development bearer token from the running platform's issuer
 * </pre>
 */
public final class PlatformCommand {

    private PlatformCommand() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "up" : args[0];
        URI ingress = URI.create(option(args, "--ingress", "http://localhost:"
                + System.getenv().getOrDefault("CLINICAL_INGRESS_PORT", "8080") + "/"));
        try {
            System.exit(run(command, args, ingress));
        } catch (Exception e) {
            System.err.println(explain(e, ingress));
            System.exit(1);
        }
    }

    private static int run(String command, String[] args, URI ingress) throws Exception {
        return switch (command) {
            case "up" -> up();
            case "replay" -> replay(args, ingress);
            case "dead-letters" -> print(get(ingress.resolve("/_broker/dead-letters")));
            case "parked" -> print(get(ingress.resolve("/_broker/parked")));
            case "cold-start" -> {
                LocalPlatform.Options options = LocalPlatform.Options.fromEnvironment();
                ColdStartBenchmark.run(options.layout(), Integer.parseInt(option(args, "--runs", "5")),
                        options.jvmOptions(), options.aotCache(), System.out);
                yield 0;
            }
            case "token" -> token(args, ingress);
            case "redeliver" -> print(post(ingress.resolve("/_broker/dead-letters/"
                    + (args.length > 1 && !args[1].startsWith("--") ? args[1] + "/" : "") + "replay")));
            default -> {
                System.err.println("usage: up | replay FOLDER | dead-letters | parked | redeliver [ID] | cold-start"
                        + " | token [--patient ID] [--scope SCOPES]");
                yield 2;
            }
        };
    }

    /** One line a person can act on instead of a stack trace, for the failures people actually meet. */
    static String explain(Throwable failure, URI ingress) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof java.net.ConnectException)) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof java.net.ConnectException) {
            return "platform not reachable at " + ingress + ": is 'knative/platform up' running? (its port is"
                    + " CLINICAL_INGRESS_PORT; other commands take --ingress URL)";
        }
        if (cause instanceof java.net.BindException) {
            return "a port is already in use: another platform running? set CLINICAL_INGRESS_PORT (" + message + ")";
        }
        if (message.contains("epg-lock")) {
            return "another platform is using this state folder (.local/ or CLINICAL_STATE_DIR): stop it first";
        }
        if (cause instanceof NoSuchFileException || cause instanceof NotDirectoryException) {
            return "not a folder of HL7 files: " + message;
        }
        return cause.getClass().getSimpleName() + ": " + message;
    }

    private static int up() throws IOException, InterruptedException {
        LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                platform.close();
            } catch (IOException e) {
                System.err.println("shutdown: " + e.getMessage());
            }
            System.out.println("Platform stopped: functions, broker and database");
            stopped.countDown();
        }));
        System.out.println("Platform ready at " + platform.ingress() + " (Ctrl-C or SIGTERM stops it)");
        System.out.println("  post HL7:  curl -X POST " + platform.ingress() + "hl7-ingest/ "
                + "-H 'Content-Type: x-application/hl7-v2+er7' --data-binary @message.hl7");
        System.out.println("  database:  " + platform.jdbcUrl());
        String ingressOption = platform.ingress().getPort() == 8080 ? "" : " --ingress " + platform.ingress();
        System.out.println("  token:     knative/platform token --patient p-1" + ingressOption
                + "   (development issuer " + platform.ingress() + "_auth, local only)");
        stopped.await();
        return 0;
    }

    /** Exit code 1 when a message was dead-lettered or the accounting does not add up, for scripted runs. */
    private static int replay(String[] args, URI ingress) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: replay FOLDER [--ingress URL] [--concurrency N] [--rounds N]");
            return 2;
        }
        int concurrency = Integer.parseInt(option(args, "--concurrency", "4"));
        Replay replay = new Replay(ingress, System.out, concurrency, option(args, "--store-trigger", "fhir-store"));
        Replay.Summary summary = replay.run(Path.of(args[1]), Integer.parseInt(option(args, "--rounds", "1")));
        replay.print(summary);
        return summary.deadLettered() == 0 && summary.isAccountedFor() ? 0 : 1;
    }

    /**
     * {@code args[0]} is {@code token}; after it only {@code --patient}, {@code --scope} and {@code --ingress}, each
     * with a value.
     */
    static boolean tokenOptionsValid(String[] args) {
        for (int i = 1; i < args.length; i += 2) {
            boolean known = "--patient".equals(args[i]) || "--scope".equals(args[i]) || "--ingress".equals(args[i]);
            if (!known || i + 1 >= args.length) {
                return false;
            }
        }
        return true;
    }

    /**
     * Prints only the token, so {@code TOKEN=$(knative/platform token --patient p-1)} works. An option it does not
     * know (a mistyped {@code --patient}, or {@code --help}) gets the usage and exit code 2, not a staff token.
     */
    private static int token(String[] args, URI ingress) throws IOException, InterruptedException {
        if (!tokenOptionsValid(args)) {
            System.err.println("usage: token [--patient ID] [--scope \"SCOPES\"] [--ingress URL]"
                    + " (without --patient: a clinic staff token, user/*.cruds)");
            return 2;
        }
        StringBuilder form = new StringBuilder();
        for (String name : new String[] {"patient", "scope"}) {
            String value = option(args, "--" + name, null);
            if (value != null) {
                form.append(form.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        HttpResponse<String> response = send(DevelopmentIssuer.tokenRequest(ingress, form.toString()));
        if (response.statusCode() != 200) {
            System.err.println(response.body());
            return 1;
        }
        System.out.println(new ObjectMapper().readTree(response.body()).path("access_token").asText());
        return 0;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    private static HttpResponse<String> post(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int print(HttpResponse<String> response) {
        System.out.println(response.body());
        return response.statusCode() < 400 ? 0 : 1;
    }
}
