import java.io.IOException;
import java.net.URI;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver of bench/run.sh: many HTTP workers against a running service, pgbench against its PostgreSQL,
 * one JSON document on stdout. Runs with the JDK's source launcher; no dependencies.
 */
public class Bench {

    static final Pattern TASK_ID = Pattern.compile("\"task\" ?: ?\\{\"_id\" ?: ?\"([0-9a-f]{24})\"");
    static final Pattern SENT = Pattern.compile("\"input\" ?: ?\\{\"sent\": ?(\\d+)\\}");
    static final Pattern ID = Pattern.compile("\"_id\" ?: ?\"([0-9a-f]{24})\"");

    static String base;
    static final int WORKERS = 32;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                opts.put("quick", "true");
            } else {
                opts.put(args[i].substring(2), args[++i]);
            }
        }
        base = opts.get("url");
        boolean quick = opts.containsKey("quick");
        int backlog = quick ? 100_000 : 1_000_000;
        int dagSize = quick ? 2_000 : 10_000;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", quick ? "quick" : "full");
        out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "serviceJavaOptions", opts.getOrDefault("java-opts", "")));
        out.put("workers", WORKERS);

        warmUp(quick);
        // Each throughput run is followed at once by the pgbench run it is compared with, so that both see this
        // shared machine in the same state: here the ceiling alone moves by a third over a day.
        double batch1 = throughput(quick ? 4_000 : runTasks(1, false), 1);
        double pg1 = pgbench(opts, 1, quick);
        double batch10 = throughput(quick ? 4_000 : runTasks(10, false), 10);
        double pg10 = pgbench(opts, 10, quick);
        out.put("throughputTasksPerSecond", Map.of("batch1", round(batch1), "batch10", round(batch10)));

        double[] enqueueToAcquire = longPollLatency(quick ? 300 : 1000);
        out.put("enqueueToAcquireMillis", Map.of("p50", round(enqueueToAcquire[0]), "p99", round(enqueueToAcquire[1])));

        // Each shape runs twice, alternating, and its faster run counts: a run takes a few seconds, and on a shared
        // machine one of them may meet a checkpoint or an autovacuum of the earlier scenarios' tasks.
        double independent = runToCompletion(independentTasks(dagSize), dagSize);
        double dag = runToCompletion(fanOutFanIn(dagSize), dagSize);
        independent = Math.min(independent, runToCompletion(independentTasks(dagSize), dagSize));
        dag = Math.min(dag, runToCompletion(fanOutFanIn(dagSize), dagSize));
        out.put("dagSeconds", Map.of("tasks", dagSize, "independent", round(independent), "fanOutFanIn", round(dag),
                "ratio", round(dag / independent)));

        double[] at10k = acquireLatencyWithBacklog(10_000, null, opts);
        double[] atBig = acquireLatencyWithBacklog(backlog, opts.get("pg-port"), opts);
        out.put("acquireMillis", Map.of("pending10k", Map.of("p50", round(at10k[0]), "p99", round(at10k[1])),
                "pending" + (backlog / 1000) + "k", Map.of("p50", round(atBig[0]), "p99", round(atBig[1])),
                "p50Ratio", round(atBig[0] / at10k[0])));

        long rssKb = peakRssKb(opts.get("pid"));
        out.put("servicePeakRssMb", round(rssKb / 1024.0));

        out.put("pgbenchTasksPerSecond", Map.of("batch1", round(pg1), "batch10", round(pg10)));

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("batchedVsPgbench", Map.of("value", round(batch10 / pg10), "target", ">= 0.60",
                "met", batch10 / pg10 >= 0.60));
        targets.put("unbatchedVsPgbench", Map.of("value", round(batch1 / pg1), "target", ">= 0.40",
                "met", batch1 / pg1 >= 0.40));
        targets.put("enqueueToAcquireP50Ms", Map.of("value", round(enqueueToAcquire[0]), "target", "<= 5",
                "met", enqueueToAcquire[0] <= 5));
        targets.put("enqueueToAcquireP99Ms", Map.of("value", round(enqueueToAcquire[1]), "target", "<= 50",
                "met", enqueueToAcquire[1] <= 50));
        targets.put("acquireP50BacklogRatio", Map.of("value", round(atBig[0] / at10k[0]), "target", "<= 1.5",
                "met", atBig[0] / at10k[0] <= 1.5));
        targets.put("dagVsIndependent", Map.of("value", round(dag / independent), "target", "<= 1.3",
                "met", dag / independent <= 1.3));
        targets.put("peakRssMb", Map.of("value", round(rssKb / 1024.0), "target", "<= 400",
                "met", rssKb / 1024.0 <= 400));
        out.put("targets", targets);
        System.out.println(toJson(out, ""));
    }

    // ---- scenarios -----------------------------------------------------------------------------------------

    /**
     * Steady state, not start-up, is measured: the JIT compiles the hot paths during the first tens of thousands
     * of requests (on 2 cores its compiler threads take CPU from everything else), and each pooled database
     * connection plans a statement a few times before it settles on the cached generic plan.
     */
    static void warmUp(boolean quick) throws Exception {
        int tasks = quick ? 2_000 : 10_000;
        throughput(tasks, 1);
        throughput(tasks, 10);
        longPollLatency(quick ? 100 : 300);
    }

    /** End-to-end tasks/s: WORKERS workers acquire (batch of {@code batch}) and release until all are done. */
    static double throughput(int tasks, int batch) throws Exception {
        String group = createGroup("throughput");
        String channel = "tp-" + batch + "-" + System.nanoTime();
        bulkCreate(group, independentTasks(tasks, channel));
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        runWorkers(workerId -> {
            while (done.get() < tasks) {
                if (batch == 1) {
                    String reply = post("api/v1/channel/" + channel + "/acquire", "{\"workerId\":\"" + workerId + "\"}");
                    Matcher m = TASK_ID.matcher(reply);
                    if (!m.find()) {
                        continue;
                    }
                    post("api/v1/task/" + m.group(1) + "/release", "{\"workerId\":\"" + workerId + "\",\"output\":1}");
                    done.incrementAndGet();
                } else {
                    String reply = post("api/v1/channel/" + channel + "/acquire_batch",
                            "{\"workerId\":\"" + workerId + "\",\"limit\":" + batch + "}");
                    List<String> ids = all(TASK_ID, reply);
                    if (ids.isEmpty()) {
                        continue;
                    }
                    StringBuilder releases = new StringBuilder("{\"releases\":[");
                    for (int i = 0; i < ids.size(); i++) {
                        releases.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(ids.get(i))
                                .append("\",\"workerId\":\"").append(workerId).append("\",\"output\":1}");
                    }
                    postMinimal("api/v1/tasks/release", releases.append("]}").toString());
                    done.addAndGet(ids.size());
                }
            }
        });
        return tasks / seconds(start);
    }

    /** Workers parked in long-poll; a producer creates tasks one at a time; latency from create sent to acquired. */
    static double[] longPollLatency(int n) throws Exception {
        String group = createGroup("latency");
        String channel = "lp-" + System.nanoTime();
        List<Double> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> waiters = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String workerId = "lp-" + w;
            waiters.add(pool.submit(() -> {
                while (producing.get() || latencies.size() < n) {
                    String reply = post("api/v1/channel/" + channel + "/acquire",
                            "{\"workerId\":\"" + workerId + "\",\"waitSeconds\":2}");
                    long received = System.nanoTime();
                    Matcher id = TASK_ID.matcher(reply);
                    Matcher sent = SENT.matcher(reply);
                    if (id.find() && sent.find()) {
                        latencies.add((received - Long.parseLong(sent.group(1))) / 1e6);
                        post("api/v1/task/" + id.group(1) + "/release", "{\"workerId\":\"" + workerId + "\"}");
                    } else if (!producing.get()) {
                        break;
                    }
                }
                CONNECTION.get().close();
                return null;
            }));
        }
        Thread.sleep(500);
        for (int i = 0; i < n; i++) {
            post("api/v1/task_group/" + group + "/tasks",
                    "{\"name\":\"l\",\"channel\":\"" + channel + "\",\"input\":{\"sent\":" + System.nanoTime() + "}}");
            Thread.sleep(10);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        producing.set(false);
        for (Future<?> w : waiters) {
            w.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return percentiles(latencies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Seconds for WORKERS workers to complete every task of a freshly created set (any DAG shape). */
    static double runToCompletion(List<String> tasks, int count) throws Exception {
        String group = createGroup("dag");
        String channel = channelOf(tasks.get(0));
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        bulkCreate(group, tasks);
        runWorkers(workerId -> {
            while (done.get() < count) {
                String reply = post("api/v1/channel/" + channel + "/acquire",
                        "{\"workerId\":\"" + workerId + "\",\"waitSeconds\":1}");
                Matcher m = TASK_ID.matcher(reply);
                if (m.find()) {
                    post("api/v1/task/" + m.group(1) + "/release", "{\"workerId\":\"" + workerId + "\",\"output\":1}");
                    done.incrementAndGet();
                }
            }
        });
        return seconds(start);
    }

    /** Acquire latency (p50, p99 ms) of sequential acquires in a channel with {@code pending} ready tasks. */
    static double[] acquireLatencyWithBacklog(int pending, String pgPortForSql, Map<String, String> opts)
            throws Exception {
        String group = createGroup("backlog");
        String channel = "backlog-" + pending + "-" + System.nanoTime();
        if (pgPortForSql == null) {
            bulkCreate(group, independentTasks(pending, channel));
        } else {
            // A large backlog is written straight into the table: the API would take minutes to insert it.
            psql(opts, "INSERT INTO task (id, group_id, name, channel, state) "
                    + "SELECT lpad(to_hex(i), 8, '0') || substr(md5(random()::text), 1, 16), '" + group
                    + "', 'b', '" + channel + "', 'ready' FROM generate_series(1, " + pending + ") i; ANALYZE task;");
        }
        int n = 500;
        double[] millis = new double[n];
        for (int i = 0; i < n + 50; i++) {
            long start = System.nanoTime();
            String reply = post("api/v1/channel/" + channel + "/acquire", "{\"workerId\":\"probe\"}");
            double ms = (System.nanoTime() - start) / 1e6;
            Matcher m = TASK_ID.matcher(reply);
            if (!m.find()) {
                throw new IllegalStateException("no task in a backlog of " + pending + ": " + reply);
            }
            post("api/v1/task/" + m.group(1) + "/release", "{\"workerId\":\"probe\",\"output\":1}");
            if (i >= 50) {
                millis[i - 50] = ms;
            }
        }
        return percentiles(millis);
    }

    /**
     * Tasks of a pgbench run, and of the service's full throughput run at the same batch size: the same amount of
     * work on both sides, long enough for a steady state.
     */
    static int runTasks(int batch, boolean quick) {
        return WORKERS * batch * (quick ? 200 : (batch == 1 ? 1500 : 400));
    }

    /** pgbench tasks/s for the same pattern: claim a batch with SKIP LOCKED, then complete it; WORKERS clients. */
    static double pgbench(Map<String, String> opts, int batch, boolean quick) throws Exception {
        int perClient = runTasks(batch, quick) / (WORKERS * batch);
        psql(opts, Files.readString(Path.of("bench/pgbench/setup.sql"))
                + "INSERT INTO bench_job (payload) SELECT '{\"n\":1}' FROM generate_series(1, "
                + (WORKERS * perClient * batch + 1000) + ")");
        psql(opts, "VACUUM ANALYZE bench_job");
        Process p = new ProcessBuilder(opts.get("pg-bin") + "/pgbench", "-n", "-h", "127.0.0.1", "-p",
                opts.get("pg-port"), "-U", "postgres", "-c", String.valueOf(WORKERS), "-j", "2", "-t",
                String.valueOf(perClient), "-D", "batch=" + batch, "-f", "bench/pgbench/claim_complete.sql", "crew")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        psql(opts, "DROP TABLE bench_job");
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return Double.parseDouble(tps.group(1)) * batch;
    }

    // ---- task sets ---------------------------------------------------------------------------------------------

    static List<String> independentTasks(int n) {
        return independentTasks(n, "ind-" + System.nanoTime());
    }

    static List<String> independentTasks(int n, String channel) {
        List<String> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add("{\"name\":\"t\",\"channel\":\"" + channel + "\"}");
        }
        return tasks;
    }

    /** 1 root, n-2 middle tasks depending on it, 1 join depending on all the middle ones. */
    static List<String> fanOutFanIn(int n) {
        String channel = "dag-" + System.nanoTime();
        List<String> tasks = new ArrayList<>(n);
        tasks.add("{\"_child_id\":0,\"name\":\"root\",\"channel\":\"" + channel + "\"}");
        StringBuilder middle = new StringBuilder();
        for (int i = 1; i < n - 1; i++) {
            tasks.add("{\"_child_id\":" + i + ",\"_parent_ids\":[0],\"name\":\"m\",\"channel\":\"" + channel + "\"}");
            middle.append(i == 1 ? "" : ",").append(i);
        }
        tasks.add("{\"_child_id\":" + (n - 1) + ",\"_parent_ids\":[" + middle + "],\"name\":\"join\",\"channel\":\""
                + channel + "\"}");
        return tasks;
    }

    static String channelOf(String task) {
        Matcher m = Pattern.compile("\"channel\":\"([^\"]+)\"").matcher(task);
        m.find();
        return m.group(1);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    interface Worker {
        void run(String workerId) throws Exception;
    }

    static void runWorkers(Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String workerId = "bench-" + w;
            futures.add(pool.submit(() -> {
                try {
                    worker.run(workerId);
                } finally {
                    CONNECTION.get().close();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();
    }

    static String createGroup(String name) throws Exception {
        Matcher m = ID.matcher(post("api/v1/task_groups", "{\"name\":\"" + name + "\"}"));
        m.find();
        return m.group(1);
    }

    static void bulkCreate(String group, List<String> tasks) throws Exception {
        for (int from = 0; from < tasks.size(); from += 10_000) {
            List<String> chunk = tasks.subList(from, Math.min(tasks.size(), from + 10_000));
            // Sibling references only work within one request: a DAG must fit in one chunk.
            post("api/v1/task_group/" + group + "/tasks/bulk", "{\"tasks\":[" + String.join(",", chunk) + "]}");
        }
    }

    /**
     * POSTs JSON over this thread's own keep-alive connection. A minimal blocking HTTP/1.1 client: the JDK's
     * HttpClient hands every exchange to its selector thread and back, which on a small machine costs the driver
     * more CPU and context switches than the service spends on the request.
     */
    static String post(String path, String json) throws IOException {
        return CONNECTION.get().post(path, json, "");
    }

    /** A batch release that does not need the tasks' documents back. */
    static String postMinimal(String path, String json) throws IOException {
        return CONNECTION.get().post(path, json, "Prefer: return=minimal\r\n");
    }

    static final ThreadLocal<Connection> CONNECTION = ThreadLocal.withInitial(Connection::new);

    static final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        String post(String path, String json, String headers) throws IOException {
            if (socket == null) {
                URI uri = URI.create(base);
                socket = new Socket(uri.getHost(), uri.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(120_000);
                in = new BufferedInputStream(socket.getInputStream(), 65_536);
                out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String host = URI.create(base).getAuthority();
            out.write(("POST /" + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream(Math.max(length, 256));
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0;
                     size = Integer.parseInt(line().trim(), 16)) {
                    response.write(in.readNBytes(size));
                    line();
                }
                line();
            } else {
                response.write(in.readNBytes(length));
            }
            String text = response.toString(StandardCharsets.UTF_8);
            if (code >= 400) {
                throw new IllegalStateException(path + " -> " + code + " " + text);
            }
            return text;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // already gone
            }
            socket = null;
        }
    }

    static void psql(Map<String, String> opts, String sql) throws Exception {
        Process p = new ProcessBuilder(opts.get("pg-bin") + "/psql", "-h", "127.0.0.1", "-p", opts.get("pg-port"),
                "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql, "crew").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + output);
        }
    }

    static long peakRssKb(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    static double[] percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]};
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    static String toJson(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(indent).append("  \"").append(e.getKey()).append("\": ")
                        .append(toJson(e.getValue(), indent + "  ")).append(++i < map.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append("}").toString();
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\"", "\\\"") + "\"";
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(value);
    }
}
