package io.imagerec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.Tenants;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imagerec upload DIR...}. */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Imagerec.Version.class,
        description = {
            "Uploads every JPEG and PNG under the directories (recursively; files may be named too), "
                    + "in parallel, and prints one JSON line per file on stdout: "
                    + "{\"file\",\"jobId\",\"imageId\",\"status\"} with status QUEUED, SKIPPED or ERROR "
                    + "(with \"code\" and \"message\").",
            "Progress and a summary go to stderr. Files accepted by an earlier run with the same "
                    + "options (the state file) are skipped, so an interrupted run is resumed by running it again.",
            "Environment: IMAGEREC_ENDPOINT, IMAGEREC_RESULTS_ENDPOINT, IMAGEREC_TENANT and IMAGEREC_API_KEY "
                    + "are the defaults of the options of those names."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file accepted or skipped (and, with --wait, every job SUCCEEDED)",
                "1:some files failed (or, with --wait, some jobs FAILED or did not finish)",
                "2:usage error"})
final class UploadCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Directories to upload (recursively), or image files.")
    List<Path> paths;

    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "${env:IMAGEREC_ENDPOINT:-http://localhost:8080}",
            description = "ingest-service (default: ${DEFAULT-VALUE}).")
    URI endpoint;

    @Option(names = "--results-endpoint", paramLabel = "URL",
            defaultValue = "${env:IMAGEREC_RESULTS_ENDPOINT:-http://localhost:8081}",
            description = "results-service, polled with --wait (default: ${DEFAULT-VALUE}).")
    URI resultsEndpoint;

    @Option(names = "--tenant", paramLabel = "ID", defaultValue = "${env:IMAGEREC_TENANT}",
            description = "Sent as X-Tenant-Id: lower-case letters, digits and dashes (default: the server's, 'default').")
    String tenant;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:IMAGEREC_API_KEY}",
            description = "Sent as X-Api-Key when given (prefer the environment variable: arguments are visible to other users).")
    String apiKey;

    @Option(names = "--features", paramLabel = "FEATURE", split = ",",
            description = "What to detect, comma-separated: ${COMPLETION-CANDIDATES} (default: the server's, LABELS).")
    List<Feature> features;

    @Option(names = "--min-confidence", paramLabel = "0-100", description = "Lowest confidence of labels reported.")
    Float minConfidence;

    @Option(names = "--max-labels", paramLabel = "1-1000", description = "Most labels reported per image.")
    Integer maxLabels;

    @Option(names = "--direct", description = "Send the bytes straight to S3 with a presigned PUT "
            + "(POST /v1/uploads, PUT, POST .../complete) instead of through ingest-service.")
    boolean direct;

    @Option(names = "--wait", description = "After uploading, poll each file's job until it is SUCCEEDED or FAILED and "
            + "print it as one more JSON line (skipped files' jobs too).")
    boolean wait;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "With --wait, give up on a job after this long, e.g. 90s, 30m, 2h (default: ${DEFAULT-VALUE}).")
    String waitTimeout;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "8",
            description = "Uploads at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--state", paramLabel = "FILE", defaultValue = ".imagerec-state.jsonl",
            description = "State file of accepted files, appended to and read to skip them (default: ${DEFAULT-VALUE}).")
    Path stateFile;

    @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to keep retrying one request that gets 503, 429, 409 IDEMPOTENCY_KEY_IN_USE, another "
                    + "5xx or no answer (default: ${DEFAULT-VALUE}).")
    String retryFor;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "Longest wait for the answer to one request (default: ${DEFAULT-VALUE}).")
    String requestTimeout;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar when stderr is a terminal, else a line every 10 s), bar, lines or none "
                    + "(default: ${DEFAULT-VALUE}).")
    Progress.Mode progress;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        validate();
        Duration waitFor = duration("--wait-timeout", waitTimeout);
        Duration retryBudget = duration("--retry-for", retryFor);
        Duration timeout = duration("--request-timeout", requestTimeout);
        FileDiscovery.Result found;
        try {
            found = FileDiscovery.discover(paths);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(cli, "No such file or directory: " + e.getMessage());
        }
        UploadOptions options = new UploadOptions(endpoint, resultsEndpoint, tenant, apiKey, features, minConfidence,
                maxLabels);
        PrintWriter err = cli.getErr();
        Counters counters = new Counters();
        counters.files.set(found.files().size() + found.problems().size());
        try (StateFile state = StateFile.open(stateFile);
                Progress display = new Progress(progress, err, counters, wait)) {
            if (state.ignoredLines() > 0) {
                err.println("imagerec: " + state.ignoredLines() + " unreadable line(s) in " + stateFile
                        + " ignored (a run killed while writing leaves one)");
            }
            Output output = new Output(cli.getOut(), display);
            Clock clock = Clock.systemUTC();
            PlatformClient client = new PlatformClient(PlatformClient.newHttpClient(), options,
                    RetryPolicy.standard(retryBudget), d -> Thread.sleep(d.toMillis()), clock, timeout);
            UploadRun run = new UploadRun(options, client, state, output, counters, err, concurrency, direct, wait,
                    waitFor, clock);
            AtomicBoolean finished = new AtomicBoolean();
            Thread onInterrupt = new Thread(() -> {
                if (finished.compareAndSet(false, true)) {
                    display.close();
                    summary(err, counters, "interrupted; run the same command again to resume");
                }
            }, "summary-on-exit");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            boolean ok = run.run(found);
            if (finished.compareAndSet(false, true)) {
                display.close();
                summary(err, counters, null);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // Already shutting down.
            }
            return ok ? Imagerec.OK : Imagerec.SOME_FAILED;
        } catch (IOException e) {
            err.println("imagerec: cannot use the state file " + stateFile + ": " + e.getMessage());
            return Imagerec.SOME_FAILED;
        }
    }

    private void validate() {
        CommandLine cli = spec.commandLine();
        if (concurrency < 1 || concurrency > 256) {
            throw new CommandLine.ParameterException(cli, "--concurrency must be 1 to 256");
        }
        if (minConfidence != null && (minConfidence.isNaN() || minConfidence < 0 || minConfidence > 100)) {
            throw new CommandLine.ParameterException(cli, "--min-confidence must be 0 to 100");
        }
        if (maxLabels != null && (maxLabels < 1 || maxLabels > 1000)) {
            throw new CommandLine.ParameterException(cli, "--max-labels must be 1 to 1000");
        }
        if (tenant != null && (tenant.isBlank() || Tenants.fromHeader(tenant) == null)) {
            throw new CommandLine.ParameterException(cli,
                    "--tenant must be lower-case letters, digits and dashes (at most 63)");
        }
        for (URI uri : List.of(endpoint, resultsEndpoint)) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new CommandLine.ParameterException(cli, "Not an http(s) URL: " + uri);
            }
        }
    }

    /** 90s, 30m, 2h, 500ms, or plain seconds. */
    Duration duration(String option, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + ": '" + value + "' is not a duration such as 90s, 30m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static void summary(PrintWriter err, Counters c, String note) {
        err.printf(Locale.ROOT, "imagerec: %d files: %d accepted, %d skipped, %d failed; %s uploaded in %s (%.1f uploads/s)%n",
                c.files.get(), c.accepted.get(), c.skipped.get(), c.failed.get(), Durations.bytes(c.bytes.get()),
                Durations.format(c.uploadTime()), c.uploadsPerSecond());
        if (c.jobsAwaited.get() > 0) {
            err.printf(Locale.ROOT, "imagerec: jobs: %d succeeded, %d failed or unfinished, of %d; %s in all%n",
                    c.jobsSucceeded.get(), c.jobsAwaited.get() - c.jobsSucceeded.get(), c.jobsAwaited.get(),
                    Durations.format(c.elapsed()));
        }
        if (note != null) {
            err.println("imagerec: " + note);
        }
        err.flush();
    }
}
