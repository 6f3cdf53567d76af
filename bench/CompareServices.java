import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two builds side by side: rounds of acquire + release at batch 1 (or acquire_batch + tasks/release with
 * Prefer: return=minimal at batch n) by JDK HttpClient workers, alternating between
 * services that run at once (each on its own database of one PostgreSQL server), so that whatever else the machine
 * does falls on both. Each round reports tasks/s and the CPU time per task of PostgreSQL (the postmaster and its
 * children), of the service and of the workers (this JVM), from /proc. A first round of each service warms it up and
 * is not reported; the last lines are the medians per service.
 *   java [-Dbatch=N] bench/CompareServices.java POSTMASTER_PID WORKERS SECONDS ROUNDS URL=SERVICE_PID
 *        [URL=SERVICE_PID ...]
 * (-Dbatch: tasks per acquire, 1 unless given; -Dcreate=true: the workers create tasks one POST at a time instead).
 * A target may carry workgroup limits, URL=SERVICE_PID=WORKGROUPS:MAX_RUNNING:RATE_PER_SECOND (0: none): its tasks
 * are spread over that many workgroups, each given that cap and budget before the round; the same URL may be given
 * with and without limits, to compare them on one service.
 */
public class CompareServices {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"([0-9a-f]{24})\"");
    private static final Pattern TASK = Pattern.compile("\"task\" ?: ?\\{\"_id\" ?: ?\"([0-9a-f]{24})\"");
    private static final int BATCH = Integer.getInteger("batch", 1);
    /** Workers create tasks one POST at a time instead of working them. */
    private static final boolean CREATE = Boolean.getBoolean("create");

    public static void main(String[] args) throws Exception {
        long postmaster = Long.parseLong(args[0]);
        int workers = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long self = ProcessHandle.current().pid();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = -1; round < rounds; round++) {
            for (int s = 4; s < args.length; s++) {
                String[] target = args[s].split("=");
                String base = target[0];
                long service = Long.parseLong(target[1]);
                String label = target.length > 2 ? base + " limits " + target[2] : base;
                String channel = "compare" + System.nanoTime();
                String group = id(post(base + "/api/v1/task_groups", "{\"name\":\"compare\"}"));
                int workgroups = target.length > 2 ? Integer.parseInt(target[2].split(":")[0]) : 0;
                for (int w = 0; w < workgroups; w++) {
                    limit(base, channel + "-wg" + w, target[2].split(":"));
                }
                StringBuilder bulk = new StringBuilder("{\"tasks\":[");
                for (int i = 0; i < 1000; i++) {
                    bulk.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i).append("\",\"channel\":\"")
                            .append(channel).append("\"")
                            .append(workgroups == 0 ? "" : ",\"workgroup\":\"" + channel + "-wg" + i % workgroups + "\"")
                            .append("}");
                }
                // More tasks than the round can work: the workers never find the channel empty.
                for (int i = 0; !CREATE && i < seconds * 2 * BATCH; i++) {
                    post(base + "/api/v1/task_group/" + group + "/tasks/bulk", bulk + "]}");
                }
                Thread.sleep(1000);
                long db0 = databaseTicks(postmaster), service0 = ticks(service), self0 = ticks(self);
                long done = work(base, group, channel, workers, seconds);
                double[] r = {done / (double) seconds, (databaseTicks(postmaster) - db0) * 1e4 / done,
                        (ticks(service) - service0) * 1e4 / done, (ticks(self) - self0) * 1e4 / done};
                System.out.printf("%s round %d: %.0f tasks/s, CPU us/task: database %.0f, service %.0f, workers %.0f%n",
                        label, round, r[0], r[1], r[2], r[3]);
                if (round >= 0) {
                    results.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
                }
            }
        }
        results.forEach((base, rs) -> System.out.printf(
                "median %s: %.0f tasks/s, CPU us/task: database %.0f, service %.0f, workers %.0f%n",
                base, median(rs, 0), median(rs, 1), median(rs, 2), median(rs, 3)));
    }

    /** Gives a workgroup a cap and a budget per second (0: none of it). */
    private static void limit(String base, String workgroup, String[] spec) throws Exception {
        int maxRunning = Integer.parseInt(spec[1]);
        int rate = Integer.parseInt(spec[2]);
        String body = "{\"maxRunning\":" + (maxRunning == 0 ? "null" : maxRunning) + ",\"rate\":"
                + (rate == 0 ? "null" : "{\"limit\":" + rate + ",\"periodSeconds\":1}") + "}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/workgroup/"
                        + workgroup)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT workgroup " + workgroup + ": " + response.body());
        }
    }

    private static long work(String base, String group, String channel, int workers, int seconds)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "w" + w;
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        done.addAndGet(CREATE ? createOne(base, group, channel)
                                : BATCH == 1 ? workOne(base, channel, worker) : workBatch(base, channel, worker));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get();
    }

    private static int createOne(String base, String group, String channel) throws Exception {
        id(post(base + "/api/v1/task_group/" + group + "/tasks",
                "{\"name\":\"created\",\"channel\":\"" + channel + "\",\"input\":{\"n\":1}}"));
        return 1;
    }

    private static int workOne(String base, String channel, String worker) throws Exception {
        Matcher m = ID.matcher(post(base + "/api/v1/channel/" + channel + "/acquire",
                "{\"workerId\":\"" + worker + "\"}"));
        if (!m.find()) {
            return 0;
        }
        post(base + "/api/v1/task/" + m.group(1) + "/release",
                "{\"workerId\":\"" + worker + "\",\"output\":{\"ok\":true}}");
        return 1;
    }

    private static int workBatch(String base, String channel, String worker) throws Exception {
        String leased = post(base + "/api/v1/channel/" + channel + "/acquire_batch",
                "{\"workerId\":\"" + worker + "\",\"limit\":" + BATCH + "}");
        StringBuilder releases = new StringBuilder("{\"releases\":[");
        int n = 0;
        for (Matcher m = TASK.matcher(leased); m.find(); n++) {
            releases.append(n == 0 ? "" : ",").append("{\"taskId\":\"").append(m.group(1))
                    .append("\",\"workerId\":\"").append(worker).append("\",\"output\":{\"ok\":true}}");
        }
        if (n > 0) {
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/release"))
                    .header("Content-Type", "application/json").header("Prefer", "return=minimal")
                    .POST(HttpRequest.BodyPublishers.ofString(releases.append("]}").toString())).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        return n;
    }

    private static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static String post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return m.group(1);
    }

    /** User and system CPU ticks (1/100 s) of a process. */
    private static long ticks(long pid) {
        String[] f = stat(pid);
        return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long databaseTicks(long postmaster) throws Exception {
        long total = ticks(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] f = stat(Long.parseLong(name));
                    if (f != null && Long.parseLong(f[1]) == postmaster) {
                        total += ticks(Long.parseLong(name));
                    }
                }
            }
        }
        return total;
    }

    /** The fields of /proc/PID/stat after the command name (field 3 onwards), or null when it is gone. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (Exception e) {
            return null;
        }
    }
}
