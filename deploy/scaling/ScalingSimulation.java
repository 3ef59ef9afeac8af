import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans past one machine: replays an arrival trace of images against the two worker scaling policies of
 * {@code deploy/} and reports, for each, the peak number of workers, the cost in instance-minutes and the
 * percentiles of queue age (how long an image waited in the jobs queue before a worker started on it).
 *
 * <pre>
 *   java deploy/scaling/ScalingSimulation.java                       # the policies as deploy/ sets them
 *   java deploy/scaling/ScalingSimulation.java --images 50000 --spike-seconds 600 --horizon-seconds 3600 \
 *        --per-instance 5.47 --target-latency 120 --max-instances 100 --quota 50 --ec2-boot 90 --pod-start 20
 *   java deploy/scaling/ScalingSimulation.java --trace arrivals.csv  # lines "second,images"
 * </pre>
 *
 * The two policies, as deployed:
 * <ul>
 * <li><b>ec2-backlog</b> ({@code deploy/aws}): an Auto Scaling group with target tracking on backlog per
 * instance, CloudWatch metric math {@code ApproximateNumberOfMessagesVisible / GroupInServiceInstances}, one
 * datapoint a minute; scale out when 3 datapoints in a row are above the target, to
 * {@code ceil(visible / target)}; scale in when 15 in a row are below 90 % of it; the group's minimum is 1
 * (with no instance in service the metric has no value); a new instance serves after the EC2 boot plus the
 * worker's start-up.</li>
 * <li><b>keda-sqs</b> ({@code deploy/k8s}): KEDA's {@code aws-sqs-queue} scaler (visible plus in-flight
 * messages, as with its default {@code scaleOnInFlight}), activation from zero at its polling interval
 * (30 s), then the HPA every 15 s with {@code ceil(messages / queueLength)}, scale-up limited as the HPA's
 * default behaviour does (at most double, or 4 pods, per 15 s), scale-down after the 300 s stabilisation
 * window, and to zero after KEDA's 300 s cooldown; a new pod serves after its start (plus a node's boot
 * when {@code --node-boot} is set and the cluster must grow).</li>
 * </ul>
 * The targets and limits are read from the deploy/ files (the CloudFormation parameters' defaults
 * {@code WorkerBacklogPerInstance} and {@code WorkerMaxSize}; the aws overlay's {@code queueLength} and the
 * base's {@code maxReplicaCount}, {@code pollingInterval} and {@code cooldownPeriod}), so the simulation
 * follows them when they change. {@code --target-latency} replaces both targets by one acceptable latency,
 * as AWS's guide for this policy says: target backlog per instance = acceptable latency x images per second
 * of one instance.
 *
 * The model is a fluid FIFO queue in one-second steps: each serving instance takes {@code --per-instance}
 * images a second (optionally capped by an account's Rekognition quota, {@code --quota} calls a second);
 * an instance is paid from launch to termination, at least a minute. Every image that arrives is
 * processed (the horizon is extended until the queue is empty), and the program checks it.
 */
public final class ScalingSimulation {

    public static void main(String[] args) throws IOException {
        Settings s = Settings.parse(args);
        double[] arrivals = s.arrivals();
        double total = 0;
        for (double a : arrivals) {
            total += a;
        }
        System.out.printf(Locale.ROOT, "trace: %.0f images, peak %.1f/s, %d s with arrivals; per instance %.2f images/s"
                + "; Rekognition quota %s%npolicies from %s: ASG backlog target %.0f per instance, max %d; KEDA "
                + "queueLength %.0f, max %d, polling %d s, cooldown %d s%n",
                total, max(arrivals), nonZero(arrivals), s.perInstance, s.quota > 0 ? s.quota + " calls/s" : "none",
                s.source, s.asgTarget, s.asgMax, s.kedaQueueLength, s.kedaMax, s.kedaPolling, s.kedaCooldown);
        System.out.println("| policy | peak instances | instance-minutes | queue age p50 s | p90 s | p99 s | max s "
                + "| last image started at s |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<Policy> policies = new ArrayList<>(List.of(new Ec2Backlog(s), new KedaSqs(s, 0)));
        if (s.nodeBoot > 0) {
            policies.add(new KedaSqs(s, s.nodeBoot));
        }
        for (Policy policy : policies) {
            Result r = run(s, arrivals, policy);
            if (Math.abs(r.processed - total) > 1e-6 * Math.max(1, total)) {
                throw new IllegalStateException(policy.label() + " processed " + r.processed + " of " + total);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %d |%n", policy.label(),
                    r.peak, r.instanceMinutes, r.percentile(0.50), r.percentile(0.90), r.percentile(0.99),
                    r.percentile(1.0), r.doneAt);
        }
    }

    /** One run of the trace through one policy. */
    static Result run(Settings s, double[] arrivals, Policy policy) {
        Deque<double[]> queue = new ArrayDeque<>(); // {arrival second, images}
        List<Instance> instances = new ArrayList<>();
        Result result = new Result();
        double arrived = 0;
        double inFlight = 0;
        for (int i = 0; i < policy.initial(); i++) {
            instances.add(new Instance(-3600, 0));
        }
        int t = 0;
        for (; t < arrivals.length || visible(queue) > 1e-9; t++) {
            if (t > arrivals.length + 7 * 24 * 3600) {
                throw new IllegalStateException(policy.label() + " never drained the queue");
            }
            double in = t < arrivals.length ? arrivals[t] : 0;
            if (in > 0) {
                queue.addLast(new double[] {t, in});
                arrived += in;
            }
            int serving = 0;
            int running = 0;
            for (Instance x : instances) {
                if (x.stopped < 0) {
                    running++;
                    serving += x.ready <= t ? 1 : 0;
                }
            }
            double capacity = serving * s.perInstance;
            if (s.quota > 0) {
                capacity = Math.min(capacity, s.quota);
            }
            double done = 0;
            while (capacity - done > 1e-12 && !queue.isEmpty()) {
                double[] head = queue.peekFirst();
                double take = Math.min(head[1], capacity - done);
                result.record(t - head[0], take);
                done += take;
                head[1] -= take;
                if (head[1] <= 1e-12) {
                    queue.removeFirst();
                }
            }
            result.processed += done;
            if (done > 0) {
                result.doneAt = t + 1;
            }
            // Messages a busy worker holds (received, not yet deleted): its concurrency while it has work.
            inFlight = Math.min(serving * s.workerConcurrency, done > 0 ? serving * s.workerConcurrency : 0);
            int desired = policy.desired(t, visible(queue), inFlight, serving, running);
            while (running < desired) {
                instances.add(new Instance(t, t + policy.startDelay(running, instances)));
                running++;
            }
            for (int i = instances.size() - 1; i >= 0 && running > desired; i--) {
                Instance x = instances.get(i);
                if (x.stopped < 0) {
                    x.stopped = t;
                    running--;
                }
            }
            result.peak = Math.max(result.peak, running);
        }
        for (Instance x : instances) {
            double from = Math.max(0, x.launched);
            double to = x.stopped >= 0 ? x.stopped : t;
            result.instanceMinutes += Math.max(60, to - from) / 60.0;
        }
        if (Math.abs(arrived - result.processed) > 1e-6 * Math.max(1, arrived)) {
            throw new IllegalStateException("arrived " + arrived + " but processed " + result.processed);
        }
        return result;
    }

    static double visible(Deque<double[]> queue) {
        double v = 0;
        for (double[] b : queue) {
            v += b[1];
        }
        return v;
    }

    interface Policy {
        String label();

        int initial();

        /** Instances wanted after second t, given the queue and the instances serving and running. */
        int desired(int t, double visible, double inFlight, int serving, int running);

        /** Seconds from launch to serving for an instance launched while {@code running} others run. */
        int startDelay(int running, List<Instance> instances);
    }

    /** The Auto Scaling group's target tracking on backlog per instance (deploy/aws). */
    static final class Ec2Backlog implements Policy {
        private final Settings s;
        private final List<Double> datapoints = new ArrayList<>();
        private int desired = 1;

        Ec2Backlog(Settings s) {
            this.s = s;
        }

        public String label() {
            return "ec2-backlog (ASG target tracking)";
        }

        public int initial() {
            return 1;
        }

        public int desired(int t, double visible, double inFlight, int serving, int running) {
            if (t % 60 != 59) {
                return desired;
            }
            double perInstance = serving == 0 ? (visible > 0 ? Double.MAX_VALUE : 0) : visible / serving;
            datapoints.add(perInstance);
            int n = datapoints.size();
            if (n >= 3 && datapoints.subList(n - 3, n).stream().allMatch(d -> d > s.asgTarget)) {
                desired = Math.max(desired, Math.min(s.asgMax, (int) Math.ceil(visible / s.asgTarget)));
            } else if (n >= 15 && datapoints.subList(n - 15, n).stream().allMatch(d -> d < 0.9 * s.asgTarget)) {
                desired = Math.max(1, Math.min(desired, (int) Math.ceil(visible / s.asgTarget)));
            }
            return desired;
        }

        public int startDelay(int running, List<Instance> instances) {
            return s.ec2Boot + s.workerStart;
        }
    }

    /** KEDA's aws-sqs-queue scaler driving the worker Deployment's HPA (deploy/k8s). */
    static final class KedaSqs implements Policy {
        private final Settings s;
        final int nodeBoot;
        private final Deque<int[]> recommendations = new ArrayDeque<>(); // {second, replicas}
        private int replicas;
        private int lastActive = Integer.MIN_VALUE / 2;
        private int nodes;

        KedaSqs(Settings s, int nodeBoot) {
            this.s = s;
            this.nodeBoot = nodeBoot;
        }

        public String label() {
            return nodeBoot > 0 ? "keda-sqs, nodes boot " + nodeBoot + " s" : "keda-sqs (nodes ready)";
        }

        public int initial() {
            return 0;
        }

        public int desired(int t, double visible, double inFlight, int serving, int running) {
            double messages = visible + inFlight;
            if (messages > 0) {
                lastActive = t;
            }
            if (replicas == 0) {
                // KEDA's own loop: activation from zero at its polling interval.
                if (t % s.kedaPolling == s.kedaPolling - 1 && messages > 0) {
                    replicas = 1;
                }
                return replicas;
            }
            if (t - lastActive >= s.kedaCooldown && t % s.kedaPolling == s.kedaPolling - 1) {
                recommendations.clear();
                replicas = 0;
                return replicas;
            }
            if (t % 15 != 14) {
                return replicas;
            }
            int raw = Math.max(1, Math.min(s.kedaMax, (int) Math.ceil(messages / s.kedaQueueLength)));
            recommendations.addLast(new int[] {t, raw});
            while (recommendations.peekFirst()[0] < t - 300) {
                recommendations.removeFirst();
            }
            if (raw > replicas) {
                replicas = Math.min(raw, Math.max(replicas * 2, replicas + 4));
            } else {
                int stabilised = recommendations.stream().mapToInt(r -> r[1]).max().orElse(raw);
                replicas = Math.min(replicas, stabilised);
            }
            return replicas;
        }

        public int startDelay(int running, List<Instance> instances) {
            int delay = s.podStart + s.workerStart;
            if (nodeBoot > 0) {
                // One worker pod per node's worth of CPU: a pod beyond the nodes booted so far waits for one.
                long alive = instances.stream().filter(x -> x.stopped < 0).count();
                if (alive + 1 > nodes) {
                    nodes++;
                    delay += nodeBoot;
                }
            }
            return delay;
        }
    }

    static final class Instance {
        final int launched;
        final int ready;
        int stopped = -1;

        Instance(int launched, int ready) {
            this.launched = launched;
            this.ready = ready;
        }
    }

    static final class Result {
        final Map<Integer, Double> waits = new LinkedHashMap<>();
        double processed;
        double instanceMinutes;
        int peak;
        int doneAt;

        void record(double wait, double images) {
            waits.merge((int) Math.round(wait), images, Double::sum);
        }

        double percentile(double p) {
            double total = waits.values().stream().mapToDouble(Double::doubleValue).sum();
            double seen = 0;
            for (Map.Entry<Integer, Double> e : waits.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                seen += e.getValue();
                if (seen >= p * total - 1e-9) {
                    return e.getKey();
                }
            }
            return 0;
        }
    }

    static final class Settings {
        int images = 50_000;
        int spikeSeconds = 600;
        int horizonSeconds = 3600;
        Path trace;
        /** Images a second one worker instance completes: the median drain rate measured here (docs). */
        double perInstance = 5.47;
        int workerConcurrency = 4;
        /** Set: both targets derived from this latency; unset: the targets as deployed (deploy/ files). */
        Integer targetLatency;
        double quota;
        Integer maxInstances;
        double asgTarget;
        int asgMax;
        double kedaQueueLength;
        int kedaMax;
        String source;
        int ec2Boot = 90;
        int podStart = 20;
        int workerStart = 13;
        int nodeBoot = 90;
        int kedaPolling = 30;
        int kedaCooldown = 300;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("no value for " + name);
                }
                String v = args[++i];
                switch (name) {
                    case "--images" -> s.images = Integer.parseInt(v);
                    case "--spike-seconds" -> s.spikeSeconds = Integer.parseInt(v);
                    case "--horizon-seconds" -> s.horizonSeconds = Integer.parseInt(v);
                    case "--trace" -> s.trace = Path.of(v);
                    case "--per-instance" -> s.perInstance = Double.parseDouble(v);
                    case "--worker-concurrency" -> s.workerConcurrency = Integer.parseInt(v);
                    case "--target-latency" -> s.targetLatency = Integer.parseInt(v);
                    case "--deploy-dir" -> s.deployDir = Path.of(v);
                    case "--quota" -> s.quota = Double.parseDouble(v);
                    case "--max-instances" -> s.maxInstances = Integer.parseInt(v);
                    case "--asg-target" -> s.asgTargetOption = Double.parseDouble(v);
                    case "--keda-queue-length" -> s.kedaQueueLengthOption = Double.parseDouble(v);
                    case "--ec2-boot" -> s.ec2Boot = Integer.parseInt(v);
                    case "--pod-start" -> s.podStart = Integer.parseInt(v);
                    case "--worker-start" -> s.workerStart = Integer.parseInt(v);
                    case "--node-boot" -> s.nodeBoot = Integer.parseInt(v);
                    case "--keda-polling" -> s.kedaPollingOption = Integer.parseInt(v);
                    case "--keda-cooldown" -> s.kedaCooldownOption = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (s.perInstance <= 0 || (s.targetLatency != null && s.targetLatency <= 0)
                    || (s.maxInstances != null && s.maxInstances < 1)) {
                throw new IllegalArgumentException("--per-instance, --target-latency and --max-instances must be positive");
            }
            s.policies();
            return s;
        }

        Path deployDir = Path.of("deploy");
        Double asgTargetOption;
        Double kedaQueueLengthOption;
        Integer kedaPollingOption;
        Integer kedaCooldownOption;

        /**
         * The policies' targets and limits: as the deploy/ files set them (the CloudFormation template's
         * parameter defaults, the aws overlay's ScaledObject over the base's), unless options replace them.
         */
        void policies() {
            try {
                String cfn = Files.readString(deployDir.resolve("aws/imagerec.yaml"));
                String base = Files.readString(deployDir.resolve("k8s/base/recognition-worker.yaml"));
                String overlay = Files.readString(deployDir.resolve("k8s/overlays/aws/scaled-object.yaml"));
                asgTarget = number(cfn, "(?s)\\n  WorkerBacklogPerInstance:.*?Default: *\"?([0-9.]+)");
                asgMax = (int) number(cfn, "(?s)\\n  WorkerMaxSize:.*?Default: *\"?([0-9]+)");
                kedaQueueLength = number(overlay, "queueLength: *\"?([0-9.]+)");
                kedaMax = (int) number(base, "maxReplicaCount: *([0-9]+)");
                kedaPolling = (int) number(base, "pollingInterval: *([0-9]+)");
                kedaCooldown = (int) number(base, "cooldownPeriod: *([0-9]+)");
                source = deployDir + "/aws/imagerec.yaml and " + deployDir + "/k8s (aws overlay)";
            } catch (IOException | IllegalStateException e) {
                if (targetLatency == null || maxInstances == null) {
                    throw new IllegalStateException("the deployed policies could not be read (" + e.getMessage()
                            + "): run from the repository's root or give --deploy-dir, or give both "
                            + "--target-latency and --max-instances");
                }
            }
            if (targetLatency != null) {
                asgTarget = targetLatency * perInstance;
                kedaQueueLength = targetLatency * perInstance;
                source = "--target-latency " + targetLatency + " s x " + perInstance + " images/s";
            }
            if (maxInstances != null) {
                asgMax = maxInstances;
                kedaMax = maxInstances;
            }
            if (kedaPollingOption != null) {
                kedaPolling = kedaPollingOption;
            }
            if (kedaCooldownOption != null) {
                kedaCooldown = kedaCooldownOption;
            }
            if (asgTargetOption != null) {
                asgTarget = asgTargetOption;
                source = source + ", --asg-target " + asgTargetOption;
            }
            if (kedaQueueLengthOption != null) {
                kedaQueueLength = kedaQueueLengthOption;
                source = source + ", --keda-queue-length " + kedaQueueLengthOption;
            }
        }

        private static double number(String text, String regex) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no match for " + regex);
            }
            return Double.parseDouble(m.group(1));
        }

        double[] arrivals() throws IOException {
            if (trace != null) {
                List<double[]> rows = new ArrayList<>();
                int last = 0;
                for (String line : Files.readAllLines(trace)) {
                    line = line.strip();
                    if (line.isEmpty() || line.startsWith("#") || !Character.isDigit(line.charAt(0))) {
                        continue;
                    }
                    String[] f = line.split(",");
                    int second = Integer.parseInt(f[0].strip());
                    rows.add(new double[] {second, Double.parseDouble(f[1].strip())});
                    last = Math.max(last, second);
                }
                double[] a = new double[Math.max(last + 1, horizonSeconds)];
                for (double[] r : rows) {
                    a[(int) r[0]] += r[1];
                }
                return a;
            }
            double[] a = new double[Math.max(horizonSeconds, spikeSeconds)];
            for (int i = 0; i < spikeSeconds; i++) {
                a[i] = (double) images / spikeSeconds;
            }
            return a;
        }
    }

    static double max(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    static int nonZero(double[] a) {
        int n = 0;
        for (double x : a) {
            if (x > 0) {
                n++;
            }
        }
        return n;
    }
}
