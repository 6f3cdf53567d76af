import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of bench/soak/run.sh: churn against a running service for N minutes at a fixed fraction of its peak,
 * sampled every minute, with PASS/FAIL on flatness. Runs with the JDK's source launcher; no dependencies (the
 * database is read through psql).
 *
 * <p>Load: creators at a paced rate (groups of 100 tasks created in bulk, groups of 20 created one task at a time,
 * DAG roots whose release adds five children as a continuation: four, then a fan-in of them); 16 worker threads
 * of one java.net.http.HttpClient (acquire + release one at a time, and acquire_batch + tasks/release by ten); 5 %
 * of releases are failures (retried a second later); one live-event stream (SSE) read to the end; a Prometheus
 * scrape of /q/metrics every 15 s. The service's cleaner deletes groups past a retention of minutes (run.sh sets it).
 *
 * <p>Each sample: tasks completed per second, acquire latency p50 and p99 (acquires that leased at least one task,
 * waitSeconds 0, arrival to answer as the client sees it), size of each table (heap, TOAST, maps) and index, dead
 * tuples and autovacuum runs per table, the service's RSS and threads (/proc), the database's connections.
 */
public class Soak {

    static final String[] CHANNELS = {"soak-bulk", "soak-single", "soak-dag", "soak-leaf"};
    static final Pattern TASK_ID = Pattern.compile("\"task\" ?: ?\\{\"_id\" ?: ?\"([0-9a-f]{24})\"");
    static final Pattern ID = Pattern.compile("\"_id\" ?: ?\"([0-9a-f]{24})\"");
    static final Pattern NAME = Pattern.compile("\"name\" ?: ?\"([^\"]*)\"");

    static Map<String, String> opts = new LinkedHashMap<>();
    static String base;
    static HttpClient http;
    static final AtomicBoolean running = new AtomicBoolean(true);

    // Counters of the current sample (swapped at each sample) and totals.
    static final LongAdder completed = new LongAdder();
    static final LongAdder failedReleases = new LongAdder();
    static final LongAdder created = new LongAdder();
    static final LongAdder httpErrors = new LongAdder();
    static final LongAdder sseEvents = new LongAdder();
    static final LongAdder scrapes = new LongAdder();
    static final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    static volatile Latencies latencies = new Latencies();

    /** Acquire latencies in microseconds of one sample. */
    static final class Latencies {
        private long[] values = new long[1 << 14];
        private int n;

        synchronized void add(long micros) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = micros;
        }

        synchronized long[] snapshot() {
            return Arrays.copyOf(values, n);
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            opts.put(args[i].substring(2), args[++i]);
        }
        base = opts.get("url").replaceAll("/?$", "/");
        int minutes = Integer.parseInt(opts.getOrDefault("minutes", "60"));
        int sampleSeconds = Integer.parseInt(opts.getOrDefault("sample-seconds", "60"));
        int workers = Integer.parseInt(opts.getOrDefault("workers", "16"));
        double fraction = Double.parseDouble(opts.getOrDefault("fraction", "0.5"));
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String channel = CHANNELS[i % CHANNELS.length];
            boolean batch = channel.equals("soak-bulk") || channel.equals("soak-leaf")
                    ? i % 8 < 4 : false;
            int id = i;
            threads.add(start("worker-" + i, () -> work(channel, batch, "soak-w" + id)));
        }
        threads.add(start("sse", Soak::listen));
        threads.add(start("scraper", Soak::scrape));

        // The peak: creation unpaced (as fast as the creators go) for a while, measured over its second half.
        double rate;
        double peak = Double.NaN;
        if (opts.containsKey("rate")) {
            rate = Double.parseDouble(opts.get("rate"));
            if (opts.containsKey("peak")) {
                peak = Double.parseDouble(opts.get("peak"));
            }
        } else {
            int calibrate = Integer.parseInt(opts.getOrDefault("calibrate-seconds", "90"));
            log("measuring the peak: creators unpaced for " + calibrate + " s");
            Pacer unpaced = new Pacer(Double.POSITIVE_INFINITY);
            List<Thread> creators = creators(unpaced, 4);
            Thread.sleep(calibrate * 500L);
            long c0 = completed.sum();
            long t0 = System.nanoTime();
            Thread.sleep(calibrate * 500L);
            peak = (completed.sum() - c0) / ((System.nanoTime() - t0) / 1e9);
            unpaced.stop();
            for (Thread t : creators) {
                t.join();
            }
            rate = peak * fraction;
            log(String.format(Locale.ROOT, "peak %.0f tasks/s; the soak creates %.0f tasks/s (%.2f of it)",
                    peak, rate, fraction));
            if (opts.containsKey("calibrate-only")) {
                // run.sh measures the peak on a service and database of its own, then soaks on fresh ones.
                System.out.println(String.format(Locale.ROOT, "%.1f", peak));
                running.set(false);
                System.exit(0);
            }
            // Work off what the unpaced creators left behind before the clock starts.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < until && backlog() > rate) {
                Thread.sleep(2000);
            }
        }
        Pacer pacer = new Pacer(rate);
        List<Thread> creators = creators(pacer, 3);

        List<Map<String, Object>> samples = new ArrayList<>();
        List<long[]> sampleLatencies = new ArrayList<>();
        Path csv = out.resolve("soak.csv");
        Path relCsv = out.resolve("soak-relations.csv");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv));
             PrintWriter rw = new PrintWriter(Files.newBufferedWriter(relCsv))) {
            w.println("minute,tasks_per_second,created_per_second,failed_releases,acquire_p50_ms,acquire_p99_ms,"
                    + "rss_mb,threads,db_connections,table_bytes,index_bytes,database_bytes,dead_tuples,"
                    + "autovacuum_runs,tasks,finished_attempts,groups,sse_events,scrapes,http_errors");
            rw.println("minute,relation,kind,table,bytes,dead_tuples,live_tuples,autovacuum_runs");
            long start = System.nanoTime();
            long lastCompleted = completed.sum();
            long lastCreated = created.sum();
            long lastFailed = failedReleases.sum();
            long lastErrors = httpErrors.sum();
            long lastEvents = sseEvents.sum();
            long lastScrapes = scrapes.sum();
            int n = minutes * 60 / sampleSeconds;
            for (int s = 1; s <= n; s++) {
                long due = start + TimeUnit.SECONDS.toNanos((long) s * sampleSeconds);
                long prev = System.nanoTime();
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(1, Math.min(1000, (due - System.nanoTime()) / 1_000_000)));
                }
                Latencies l = latencies;
                latencies = new Latencies();
                long[] lat = l.snapshot();
                Arrays.sort(lat);
                sampleLatencies.add(lat);
                long c = completed.sum();
                long cr = created.sum();
                long f = failedReleases.sum();
                long e = httpErrors.sum();
                long ev = sseEvents.sum();
                long sc = scrapes.sum();
                double secs = sampleSeconds;
                Map<String, Object> row = new LinkedHashMap<>();
                double minute = (double) s * sampleSeconds / 60;
                row.put("minute", minute);
                row.put("tasks_per_second", (c - lastCompleted) / secs);
                row.put("created_per_second", (cr - lastCreated) / secs);
                row.put("failed_releases", f - lastFailed);
                row.put("acquire_p50_ms", percentile(lat, 0.50) / 1000.0);
                row.put("acquire_p99_ms", percentile(lat, 0.99) / 1000.0);
                long[] proc = proc(opts.get("pid"));
                row.put("rss_mb", proc[0] / 1024.0);
                row.put("threads", proc[1]);
                List<String[]> rels = relations();
                long tableBytes = 0, indexBytes = 0, dead = 0, vacuums = 0;
                for (String[] r : rels) {
                    rw.printf(Locale.ROOT, "%.2f,%s,%s,%s,%s,%s,%s,%s%n", minute, r[0], r[1], r[2], r[3], r[4],
                            r[5], r[6]);
                    if (r[1].equals("table")) {
                        tableBytes += Long.parseLong(r[3]);
                        dead += Long.parseLong(r[4]);
                        vacuums += Long.parseLong(r[6]);
                    } else {
                        indexBytes += Long.parseLong(r[3]);
                    }
                }
                rw.flush();
                String[] db = psql("SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()),"
                        + " pg_database_size(current_database()), (SELECT count(*) FROM task),"
                        + " (SELECT count(*) FROM finished_attempt), (SELECT count(*) FROM task_group)").get(0);
                row.put("db_connections", Long.parseLong(db[0]));
                row.put("table_bytes", tableBytes);
                row.put("index_bytes", indexBytes);
                row.put("database_bytes", Long.parseLong(db[1]));
                row.put("dead_tuples", dead);
                row.put("autovacuum_runs", vacuums);
                row.put("tasks", Long.parseLong(db[2]));
                row.put("finished_attempts", Long.parseLong(db[3]));
                row.put("groups", Long.parseLong(db[4]));
                row.put("sse_events", ev - lastEvents);
                row.put("scrapes", sc - lastScrapes);
                row.put("http_errors", e - lastErrors);
                samples.add(row);
                w.println(String.join(",", row.values().stream().map(Soak::fmt).toList()));
                w.flush();
                log(String.format(Locale.ROOT, "minute %5.1f: %.0f tasks/s, acquire p50 %.1f ms p99 %.1f ms, "
                                + "tables %.1f MB, indexes %.1f MB, dead %d, tasks %d, groups %d, RSS %.0f MB, "
                                + "threads %d, connections %s, SSE events %d, HTTP errors %d",
                        minute, row.get("tasks_per_second"), row.get("acquire_p50_ms"), row.get("acquire_p99_ms"),
                        tableBytes / 1048576.0, indexBytes / 1048576.0, dead, row.get("tasks"), row.get("groups"),
                        row.get("rss_mb"), proc[1], db[0], ev - lastEvents, e - lastErrors));
                lastCompleted = c;
                lastCreated = cr;
                lastFailed = f;
                lastErrors = e;
                lastEvents = ev;
                lastScrapes = sc;
            }
        }
        pacer.stop();
        running.set(false);
        for (Thread t : creators) {
            t.join(10_000);
        }

        boolean pass = evaluate(samples, sampleLatencies, relCsv, minutes, sampleSeconds, peak, rate, out);
        System.exit(pass ? 0 : 1);
    }

    // ---- evaluation ----------------------------------------------------------------------------------------

    static boolean evaluate(List<Map<String, Object>> samples, List<long[]> lat, Path relCsv, int minutes,
                            int sampleSeconds, double peak, double rate, Path out) throws IOException {
        double scale = minutes / 60.0;
        double warmUp = warmUpMinutes(minutes);
        double window = Math.max(10 * scale, 2.0 * sampleSeconds / 60);
        double flatWindow = Math.max(20 * scale, 3.0 * sampleSeconds / 60);
        // Samples by the minute at their end: a sample covers (minute - sampleMinutes, minute].
        double firstFrom = warmUp, firstTo = warmUp + window;
        double lastFrom = minutes - window, lastTo = minutes;
        double flatFrom = minutes - flatWindow;
        List<String> lines = new ArrayList<>();
        boolean pass = true;
        lines.add(String.format(Locale.ROOT, "soak: %d minutes, samples every %d s, warm-up %.1f min, windows of "
                        + "%.1f min (first after warm-up %.1f-%.1f, last %.1f-%.1f), flat over %.1f-%d; peak %s "
                        + "tasks/s, created %.0f tasks/s", minutes, sampleSeconds, warmUp, window, firstFrom,
                firstTo, lastFrom, lastTo, flatFrom, minutes, Double.isNaN(peak) ? "not measured (--rate)"
                        : String.format(Locale.ROOT, "%.0f", peak), rate));

        double tFirst = mean(samples, "tasks_per_second", firstFrom, firstTo, sampleSeconds);
        double tLast = mean(samples, "tasks_per_second", lastFrom, lastTo, sampleSeconds);
        pass &= line(lines, "throughput", tLast >= 0.9 * tFirst, String.format(Locale.ROOT,
                "last %.0f tasks/s vs first %.0f: %.3f (>= 0.90)", tLast, tFirst, tLast / tFirst));

        long[] pFirst = pooled(samples, lat, firstFrom, firstTo, sampleSeconds);
        long[] pLast = pooled(samples, lat, lastFrom, lastTo, sampleSeconds);
        double p99First = percentile(pFirst, 0.99) / 1000.0, p99Last = percentile(pLast, 0.99) / 1000.0;
        double p50First = percentile(pFirst, 0.50) / 1000.0, p50Last = percentile(pLast, 0.50) / 1000.0;
        pass &= line(lines, "acquire p99", p99Last <= 1.5 * p99First, String.format(Locale.ROOT,
                "last %.2f ms vs first %.2f ms: %.2f (<= 1.50); p50 %.2f vs %.2f ms", p99Last, p99First,
                p99Last / p99First, p50Last, p50First));

        // Sizes: each table (heap, TOAST, maps) and index, at the end of the flat window against its start; a
        // relation may grow by 5 % or 16 pages (128 kB), whichever is more.
        Map<String, long[]> sizes = new TreeMap<>();
        double atFrom = nearest(samples, flatFrom);
        double atTo = nearest(samples, minutes);
        for (String l : Files.readAllLines(relCsv).subList(1, Files.readAllLines(relCsv).size())) {
            String[] f = l.split(",");
            double m = Double.parseDouble(f[0]);
            String key = f[2] + " " + f[1];
            long[] v = sizes.computeIfAbsent(key, k -> new long[] {-1, -1});
            if (Math.abs(m - atFrom) < 1e-6) {
                v[0] = Long.parseLong(f[4]);
            }
            if (Math.abs(m - atTo) < 1e-6) {
                v[1] = Long.parseLong(f[4]);
            }
        }
        List<String> grew = new ArrayList<>();
        String largest = "";
        long largestGrowth = Long.MIN_VALUE;
        for (Map.Entry<String, long[]> e : sizes.entrySet()) {
            long from = e.getValue()[0], to = e.getValue()[1];
            if (from < 0 || to < 0) {
                continue;
            }
            if (to > Math.max(from * 1.05, from + 131072)) {
                grew.add(String.format(Locale.ROOT, "%s %.2f -> %.2f MB", e.getKey(), from / 1048576.0,
                        to / 1048576.0));
            }
            if (to - from > largestGrowth) {
                largestGrowth = to - from;
                largest = String.format(Locale.ROOT, "%s %.2f -> %.2f MB", e.getKey(), from / 1048576.0,
                        to / 1048576.0);
            }
        }
        double tablesFrom = value(samples, "table_bytes", atFrom), tablesTo = value(samples, "table_bytes", atTo);
        double indexesFrom = value(samples, "index_bytes", atFrom), indexesTo = value(samples, "index_bytes", atTo);
        pass &= line(lines, "table and index sizes", grew.isEmpty(), String.format(Locale.ROOT,
                "minute %.1f -> %.1f: tables %.1f -> %.1f MB, indexes %.1f -> %.1f MB; %s; most growth: %s",
                atFrom, atTo, tablesFrom / 1048576, tablesTo / 1048576, indexesFrom / 1048576,
                indexesTo / 1048576, grew.isEmpty() ? "no relation grew more than 5 % (or 128 kB)"
                        : "grew: " + String.join(", ", grew), largest));

        double rssFrom = value(samples, "rss_mb", atFrom), rssTo = value(samples, "rss_mb", atTo);
        double rssMax = max(samples, "rss_mb", flatFrom, minutes, sampleSeconds);
        pass &= line(lines, "RSS", rssTo <= rssFrom * 1.05 + 8, String.format(Locale.ROOT,
                "%.0f -> %.0f MB (max %.0f MB in the window; <= 5 %% + 8 MB)", rssFrom, rssTo, rssMax));
        double thrFrom = value(samples, "threads", atFrom), thrTo = value(samples, "threads", atTo);
        double thrMax = max(samples, "threads", flatFrom, minutes, sampleSeconds);
        pass &= line(lines, "threads", thrTo <= thrFrom * 1.05 + 2, String.format(Locale.ROOT,
                "%.0f -> %.0f (max %.0f in the window; <= 5 %% + 2)", thrFrom, thrTo, thrMax));
        double conFrom = value(samples, "db_connections", atFrom), conTo = value(samples, "db_connections", atTo);
        lines.add(String.format(Locale.ROOT, "info database connections: %.0f -> %.0f; HTTP errors %d; "
                        + "SSE events %d; scrapes %d; failed releases %d", conFrom, conTo, httpErrors.sum(),
                sseEvents.sum(), scrapes.sum(), failedReleases.sum()));
        lines.add((pass ? "PASS" : "FAIL") + " soak");
        for (String l : lines) {
            System.out.println(l);
        }
        Files.write(out.resolve("soak-result.txt"), lines);
        return pass;
    }

    static double warmUpMinutes(int minutes) {
        // The retention (run.sh: max(2, minutes / 12)) plus a minute: by then the cleaner deletes what is created.
        return Math.max(2, minutes / 12.0) + 1;
    }

    static boolean line(List<String> lines, String what, boolean ok, String detail) {
        lines.add((ok ? "PASS " : "FAIL ") + what + ": " + detail);
        return ok;
    }

    static boolean in(Map<String, Object> row, double from, double to, int sampleSeconds) {
        double m = (double) row.get("minute");
        return m - sampleSeconds / 60.0 >= from - 1e-6 && m <= to + 1e-6;
    }

    static double mean(List<Map<String, Object>> samples, String key, double from, double to, int sampleSeconds) {
        return samples.stream().filter(r -> in(r, from, to, sampleSeconds))
                .mapToDouble(r -> ((Number) r.get(key)).doubleValue()).average().orElse(Double.NaN);
    }

    static double max(List<Map<String, Object>> samples, String key, double from, double to, int sampleSeconds) {
        return samples.stream().filter(r -> in(r, from, to, sampleSeconds))
                .mapToDouble(r -> ((Number) r.get(key)).doubleValue()).max().orElse(Double.NaN);
    }

    static long[] pooled(List<Map<String, Object>> samples, List<long[]> lat, double from, double to,
                         int sampleSeconds) {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (in(samples.get(i), from, to, sampleSeconds)) {
                for (long v : lat.get(i)) {
                    all.add(v);
                }
            }
        }
        return all.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static double nearest(List<Map<String, Object>> samples, double minute) {
        double best = (double) samples.get(0).get("minute");
        for (Map<String, Object> r : samples) {
            double m = (double) r.get("minute");
            if (Math.abs(m - minute) < Math.abs(best - minute)) {
                best = m;
            }
        }
        return best;
    }

    static double value(List<Map<String, Object>> samples, String key, double minute) {
        for (Map<String, Object> r : samples) {
            if (Math.abs((double) r.get("minute") - minute) < 1e-6) {
                return ((Number) r.get(key)).doubleValue();
            }
        }
        return Double.NaN;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // ---- load ----------------------------------------------------------------------------------------------

    /** Hands out creation permits at a rate (tasks per second), shared by the creators. */
    static final class Pacer {
        private final double rate;
        private final long start = System.nanoTime();
        private double issued;
        private volatile boolean stopped;

        Pacer(double rate) {
            this.rate = rate;
        }

        /** Waits until {@code tasks} more may be created; false once stopped. */
        boolean take(int tasks) throws InterruptedException {
            if (Double.isInfinite(rate)) {
                return !stopped && running.get();
            }
            long due;
            synchronized (this) {
                due = start + (long) (issued / rate * 1e9);
                issued += tasks;
            }
            while (!stopped && running.get()) {
                long wait = due - System.nanoTime();
                if (wait <= 0) {
                    return true;
                }
                Thread.sleep(Math.min(200, Math.max(1, wait / 1_000_000)));
            }
            return false;
        }

        void stop() {
            stopped = true;
        }
    }

    /** Creators of the three shapes, {@code each} of every shape: bulk, one at a time, DAG roots. */
    static List<Thread> creators(Pacer pacer, int each) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            threads.add(start("bulk-" + i, () -> {
                while (pacer.take(100)) {
                    String group = createGroup("soak bulk");
                    StringBuilder b = new StringBuilder("{\"tasks\":[");
                    for (int t = 0; t < 100; t++) {
                        b.append(t == 0 ? "" : ",").append(task("bulk " + t, "soak-bulk"));
                    }
                    if (post("api/v1/task_group/" + group + "/tasks/bulk", b.append("]}").toString()) != null) {
                        created.add(100);
                    }
                }
            }));
            threads.add(start("single-" + i, () -> {
                while (pacer.take(20)) {
                    String group = createGroup("soak single");
                    for (int t = 0; t < 20 && running.get(); t++) {
                        if (post("api/v1/task_group/" + group + "/tasks", task("single " + t, "soak-single")) != null) {
                            created.add(1);
                        }
                    }
                }
            }));
            threads.add(start("dag-" + i, () -> {
                // A root and, at its release, 5 children: 6 tasks per DAG, 10 DAGs per group.
                while (pacer.take(60)) {
                    String group = createGroup("soak dag");
                    for (int t = 0; t < 10 && running.get(); t++) {
                        if (post("api/v1/task_group/" + group + "/tasks", task("dag root", "soak-dag")) != null) {
                            created.add(1);
                        }
                    }
                }
            }));
        }
        return threads;
    }

    static String task(String name, String channel) {
        return "{\"name\":\"" + name + "\",\"channel\":\"" + channel + "\",\"errorDelayInSeconds\":1,"
                + "\"input\":{\"n\":" + ThreadLocalRandom.current().nextInt(1_000_000) + "}}";
    }

    static String createGroup(String name) {
        while (running.get()) {
            String body = post("api/v1/task_groups", "{\"name\":\"" + name + "\"}");
            if (body != null) {
                Matcher m = ID.matcher(body);
                if (m.find()) {
                    return m.group(1);
                }
            }
            sleep(500);
        }
        return "000000000000000000000000";
    }

    static final String CHILDREN = "[{\"_child_id\":1,\"name\":\"dag child 1\",\"channel\":\"soak-leaf\","
            + "\"errorDelayInSeconds\":1},{\"_child_id\":2,\"name\":\"dag child 2\",\"channel\":\"soak-leaf\","
            + "\"errorDelayInSeconds\":1},{\"_child_id\":3,\"name\":\"dag child 3\",\"channel\":\"soak-leaf\","
            + "\"errorDelayInSeconds\":1},{\"_child_id\":4,\"name\":\"dag child 4\",\"channel\":\"soak-leaf\","
            + "\"errorDelayInSeconds\":1},{\"_child_id\":5,\"_parent_ids\":[1,2,3,4],\"name\":\"dag fan-in\","
            + "\"channel\":\"soak-leaf\",\"errorDelayInSeconds\":1}]";

    /** A worker loop on one channel: one task at a time, or batches of ten. */
    static void work(String channel, boolean batch, String workerId) {
        String acquirePath = "api/v1/channel/" + channel + (batch ? "/acquire_batch" : "/acquire");
        String acquireBody = "{\"workerId\":\"" + workerId + "\"" + (batch ? ",\"limit\":10" : "") + ",\"waitSeconds\":0}";
        while (running.get()) {
            long t0 = System.nanoTime();
            String body = post(acquirePath, acquireBody);
            long micros = (System.nanoTime() - t0) / 1000;
            if (body == null) {
                sleep(200);
                continue;
            }
            List<String> ids = new ArrayList<>();
            Matcher m = TASK_ID.matcher(body);
            while (m.find()) {
                ids.add(m.group(1));
            }
            if (ids.isEmpty()) {
                sleep(20);
                continue;
            }
            latencies.add(micros);
            if (batch) {
                StringBuilder b = new StringBuilder("{\"releases\":[");
                int ok = 0;
                for (int i = 0; i < ids.size(); i++) {
                    boolean fail = ThreadLocalRandom.current().nextDouble() < 0.05;
                    b.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(ids.get(i))
                            .append("\",\"workerId\":\"").append(workerId).append("\",")
                            .append(fail ? "\"error\":\"soak failure\"}" : "\"output\":{\"ok\":true}}");
                    ok += fail ? 0 : 1;
                }
                if (post("api/v1/tasks/release", b.append("]}").toString(), "return=minimal") != null) {
                    completed.add(ok);
                    failedReleases.add(ids.size() - ok);
                }
            } else {
                String id = ids.get(0);
                boolean fail = ThreadLocalRandom.current().nextDouble() < 0.05;
                String release;
                if (fail) {
                    release = "{\"workerId\":\"" + workerId + "\",\"error\":\"soak failure\"}";
                } else if (channel.equals("soak-dag")) {
                    release = "{\"workerId\":\"" + workerId + "\",\"output\":{\"ok\":true},\"children\":" + CHILDREN
                            + "}";
                } else {
                    release = "{\"workerId\":\"" + workerId + "\",\"output\":{\"ok\":true}}";
                }
                if (post("api/v1/task/" + id + "/release", release) != null) {
                    (fail ? failedReleases : completed).add(1);
                }
            }
        }
    }

    /** One live-event stream, read line by line for the whole run (reconnecting if it ends). */
    static void listen() {
        while (running.get()) {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/events"))
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while (running.get() && (line = reader.readLine()) != null) {
                        if (line.startsWith("event:")) {
                            sseEvents.increment();
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                sleep(1000);
            }
        }
    }

    /** A Prometheus scrape of /q/metrics every 15 s. */
    static void scrape() {
        while (running.get()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "q/metrics"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    scrapes.increment();
                } else {
                    httpErrors.increment();
                }
            } catch (IOException | InterruptedException e) {
                httpErrors.increment();
            }
            sleep(15_000);
        }
    }

    static String post(String path, String body) {
        return post(path, body, null);
    }

    /** The answer's body, or null after an error (counted). */
    static String post(String path, String body, String prefer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (prefer != null) {
                b.header("Prefer", prefer);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                return r.body();
            }
            statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
            httpErrors.increment();
            if (httpErrors.sum() <= 10) {
                log("HTTP " + r.statusCode() + " from " + path + ": " + r.body());
            }
        } catch (IOException e) {
            httpErrors.increment();
            if (httpErrors.sum() <= 10) {
                log(path + ": " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    // ---- database and process ------------------------------------------------------------------------------

    static long backlog() {
        try {
            return Long.parseLong(psql("SELECT count(*) FROM task WHERE state IN ('ready', 'scheduled')").get(0)[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Per table (heap, TOAST and maps: pg_table_size) and per index (pg_relation_size): name, kind, table,
     *  bytes, dead tuples, live tuples, autovacuum runs. */
    static List<String[]> relations() {
        return psql("SELECT c.relname, 'table', c.relname, pg_table_size(c.oid), coalesce(s.n_dead_tup, 0),"
                + " coalesce(s.n_live_tup, 0), coalesce(s.autovacuum_count, 0)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
                + " WHERE n.nspname = 'public' AND c.relkind = 'r'"
                + " UNION ALL SELECT i.relname, 'index', t.relname, pg_relation_size(i.oid), 0, 0, 0"
                + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' ORDER BY 3, 2 DESC, 1");
    }

    static List<String[]> psql(String sql) {
        try {
            ProcessBuilder pb = new ProcessBuilder(opts.getOrDefault("pg-bin", "/usr/lib/postgresql/15/bin") + "/psql",
                    "-h", "127.0.0.1", "-p", opts.get("pg-port"), "-U", "postgres", "-d", opts.getOrDefault("db", "crew"),
                    "-XAt", "-F", ",", "-v", "ON_ERROR_STOP=1", "-c", sql);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql: " + outText);
            }
            List<String[]> rows = new ArrayList<>();
            for (String l : outText.split("\n")) {
                if (!l.isBlank()) {
                    rows.add(l.split(",", -1));
                }
            }
            return rows;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RSS in kB and threads of a process, from /proc. */
    static long[] proc(String pid) {
        long rss = 0, threads = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    rss = Long.parseLong(l.replaceAll("\\D", ""));
                } else if (l.startsWith("Threads:")) {
                    threads = Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            log("cannot read /proc/" + pid + ": " + e);
        }
        return new long[] {rss, threads};
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static Thread start(String name, ThrowingRunnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log(name + " stopped: " + e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String fmt(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    static void log(String s) {
        System.err.println("[soak " + Instant.now().toString().substring(11, 19) + "] " + s);
    }
}
