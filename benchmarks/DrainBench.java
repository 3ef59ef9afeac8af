import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's drain against the engine's own pace, with no dependencies beyond the JDK (SQS through
 * its JSON protocol, which ElasticMQ answers unsigned):
 *
 *   java benchmarks/DrainBench.java engine ENGINE_URL BUCKET KEY REQUESTS CONCURRENCY
 *       DetectLabels of the S3 object, as the worker asks for it; prints "engine images/s: X"
 *   java benchmarks/DrainBench.java drain SQS_URL JOBS_QUEUE_URL RESULTS_QUEUE_URL BUCKET KEY JOBS DELAY_SECONDS
 *       sends JOBS jobs for the object (feature LABELS, or $BENCH_FEATURE), all hidden for DELAY_SECONDS so the worker meets them as a
 *       backlog, times from the moment they become visible until the jobs queue is empty, then reads the
 *       results queue and fails unless every job is SUCCEEDED; prints "drain images/s: X"
 */
public class DrainBench {

    /** The one feature each job asks for: LABELS (DetectLabels with the detector), or BENCH_FEATURE. */
    static final String FEATURE = System.getenv().getOrDefault("BENCH_FEATURE", "LABELS");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "engine" -> engine(URI.create(args[1]), args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "drain" -> drain(URI.create(args[1]), args[2], args[3], args[4], args[5], Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]));
            default -> throw new IllegalArgumentException("engine or drain, not " + args[0]);
        }
    }

    static void engine(URI endpoint, String bucket, String key, int requests, int concurrency) throws Exception {
        String body = "{\"Image\":{\"S3Object\":{\"Bucket\":\"" + bucket + "\",\"Name\":\"" + key + "\"}},"
                + "\"Features\":[\"GENERAL_LABELS\"]}";
        for (int i = 0; i < 10; i++) {
            call(endpoint, "application/x-amz-json-1.1", "RekognitionService.DetectLabels", body);
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < requests) {
                    call(endpoint, "application/x-amz-json-1.1", "RekognitionService.DetectLabels", body);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "engine images/s: %.2f (%d DetectLabels of s3://%s/%s at concurrency %d in %.2f s)%n",
                requests / seconds, requests, bucket, key, concurrency, seconds);
    }

    static void drain(URI sqs, String jobsUrl, String resultsUrl, String bucket, String key, int jobs, int delay)
            throws Exception {
        Set<String> ids = new HashSet<>();
        long firstSend = System.nanoTime();
        for (int batch = 0; batch < jobs; batch += 10) {
            StringBuilder entries = new StringBuilder();
            for (int i = batch; i < Math.min(jobs, batch + 10); i++) {
                String jobId = UUID.randomUUID().toString();
                ids.add(jobId);
                String job = "{\"schema\":\"recognition-job/v1\",\"jobId\":\"" + jobId + "\",\"imageId\":\"bench-" + jobId
                        + "\",\"tenant\":\"bench\",\"bucket\":\"" + bucket + "\",\"key\":\"" + key
                        + "\",\"features\":[\"" + FEATURE + "\"],\"submittedAt\":\"" + java.time.Instant.now() + "\",\"traceContext\":{}}";
                if (entries.length() > 0) {
                    entries.append(',');
                }
                entries.append("{\"Id\":\"m").append(i).append("\",\"DelaySeconds\":").append(delay)
                        .append(",\"MessageBody\":").append(quote(job)).append('}');
            }
            String answer = sqs(sqs, "SendMessageBatch", "{\"QueueUrl\":\"" + jobsUrl + "\",\"Entries\":[" + entries + "]}");
            if (answer.contains("\"Failed\":[{")) {
                throw new IllegalStateException("a send failed: " + answer);
            }
        }
        long visibleFrom = firstSend + delay * 1_000_000_000L;
        long sent = System.nanoTime();
        if (sent > visibleFrom) {
            System.err.println("warning: sending took longer than the delay; raise DELAY_SECONDS");
        }
        while (left(sqs, jobsUrl) > 0) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - visibleFrom) / 1e9;

        // Every job's final result, read as results-service would (PROCESSING events are skipped).
        Map<String, String> finals = new HashMap<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (finals.size() < jobs && System.nanoTime() < deadline) {
            String answer = sqs(sqs, "ReceiveMessage", "{\"QueueUrl\":\"" + resultsUrl
                    + "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":1}");
            List<String> handles = new ArrayList<>();
            for (String body : strings(answer, "Body")) {
                Matcher job = Pattern.compile("\"jobId\":\"([^\"]+)\"").matcher(body);
                Matcher status = Pattern.compile("\"status\":\"([A-Z]+)\"").matcher(body);
                if (job.find() && status.find() && ids.contains(job.group(1))
                        && (status.group(1).equals("SUCCEEDED") || status.group(1).equals("FAILED"))) {
                    finals.merge(job.group(1), status.group(1), (a, b) -> a.equals("SUCCEEDED") ? a : b);
                }
            }
            handles.addAll(strings(answer, "ReceiptHandle"));
            if (!handles.isEmpty()) {
                StringBuilder entries = new StringBuilder();
                for (int i = 0; i < handles.size(); i++) {
                    entries.append(i == 0 ? "" : ",").append("{\"Id\":\"d").append(i).append("\",\"ReceiptHandle\":")
                            .append(quote(handles.get(i))).append('}');
                }
                sqs(sqs, "DeleteMessageBatch", "{\"QueueUrl\":\"" + resultsUrl + "\",\"Entries\":[" + entries + "]}");
            }
        }
        long succeeded = finals.values().stream().filter("SUCCEEDED"::equals).count();
        System.out.printf(Locale.ROOT, "drain images/s: %.2f (%d jobs in %.2f s; %d of them SUCCEEDED)%n",
                jobs / seconds, jobs, seconds, succeeded);
        if (succeeded != jobs) {
            System.err.println("not every job SUCCEEDED: " + finals.size() + " final results, " + succeeded + " SUCCEEDED");
            System.exit(1);
        }
    }

    /** Messages visible, in flight and delayed. */
    static long left(URI sqs, String queueUrl) throws Exception {
        String answer = sqs(sqs, "GetQueueAttributes", "{\"QueueUrl\":\"" + queueUrl + "\",\"AttributeNames\":["
                + "\"ApproximateNumberOfMessages\",\"ApproximateNumberOfMessagesNotVisible\","
                + "\"ApproximateNumberOfMessagesDelayed\"]}");
        long total = 0;
        Matcher m = Pattern.compile("\"ApproximateNumberOfMessages\\w*\":\"(\\d+)\"").matcher(answer);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    static String sqs(URI endpoint, String action, String body) throws Exception {
        return call(endpoint, "application/x-amz-json-1.0", "AmazonSQS." + action, body);
    }

    static String call(URI endpoint, String type, String target, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", type).header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Every string value of a field in a JSON text, unescaped. */
    static List<String> strings(String json, String field) {
        List<String> values = new ArrayList<>();
        String marker = "\"" + field + "\":\"";
        int at = 0;
        while ((at = json.indexOf(marker, at)) >= 0) {
            StringBuilder value = new StringBuilder();
            int i = at + marker.length();
            for (; json.charAt(i) != '"'; i++) {
                char c = json.charAt(i);
                if (c == '\\') {
                    char e = json.charAt(++i);
                    switch (e) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'r' -> value.append('\r');
                        case 'b' -> value.append('\b');
                        case 'f' -> value.append('\f');
                        case 'u' -> {
                            value.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                        default -> value.append(e);
                    }
                } else {
                    value.append(c);
                }
            }
            values.add(value.toString());
            at = i;
        }
        return values;
    }
}
