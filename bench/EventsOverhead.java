import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What live events cost the hot path: acquire + release throughput of polling workers on a running service, in
 * rounds that cycle through the modes "idle" (the event triggers on, no stream open anywhere: what every user
 * pays), "listening" (one stream of /api/v1/events held open) and, when a psql connection string is given,
 * "off" (the event triggers disabled, as if there were no live events at all). Noise on a shared machine is
 * larger than small differences in throughput: compare the medians of several rounds of each. Given the pids of
 * the service and of its PostgreSQL's postmaster, each round also reports the CPU time the service and the
 * database (postmaster and its children) spent per task, which other load on the machine disturbs far less.
 *   java bench/EventsOverhead.java http://127.0.0.1:3000 [workers=8] [seconds=20] [rounds=3] [psql-conninfo]
 *        [service-pid postmaster-pid]
 */
public class EventsOverhead {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"([0-9a-f]{24})\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String channel = "overhead" + System.nanoTime();
        String group = id(post(base + "/api/v1/task_groups", "{\"name\":\"overhead\"}"));
        StringBuilder tasks = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < 1000; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i).append("\",\"channel\":\"")
                    .append(channel).append("\"}");
        }
        String bulk = tasks.append("]}").toString();
        String conninfo = args.length > 4 ? args[4] : null;
        long servicePid = args.length > 6 ? Long.parseLong(args[5]) : -1;
        long postmasterPid = args.length > 6 ? Long.parseLong(args[6]) : -1;
        List<String> modes = conninfo == null ? List.of("idle", "listening") : List.of("off", "idle", "listening");
        List<String> results = new ArrayList<>();
        for (int round = 0; round < rounds * modes.size(); round++) {
            String mode = modes.get(round % modes.size());
            boolean listening = mode.equals("listening");
            if (conninfo != null) {
                triggers(conninfo, mode.equals("off") ? "DISABLE" : "ENABLE");
            }
            String roundChannel = channel + "-" + round;
            for (int i = 0; i < 30; i++) { // more tasks than a round can take
                post(base + "/api/v1/task_group/" + group + "/tasks/bulk", bulk.replace(channel, roundChannel));
            }
            InputStream stream = listening ? HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream()).body() : null;
            Thread drain = null;
            if (stream != null) {
                drain = new Thread(() -> {
                    try {
                        stream.transferTo(OutputStreamSink.INSTANCE);
                    } catch (Exception ignored) {
                        // closed at the end of the round
                    }
                });
                drain.setDaemon(true);
                drain.start();
                Thread.sleep(500); // the stream's presence row is written before it is told "connected"
            }
            long serviceTicks = ticks(servicePid);
            long databaseTicks = treeTicks(postmasterPid);
            long tasksDone = run(base, roundChannel, workers, seconds);
            serviceTicks = ticks(servicePid) - serviceTicks;
            databaseTicks = treeTicks(postmasterPid) - databaseTicks;
            if (stream != null) {
                stream.close();
            }
            String cpu = servicePid < 0 ? "" : String.format(",\"serviceCpuMicrosPerTask\":%.0f,"
                    + "\"databaseCpuMicrosPerTask\":%.0f", serviceTicks * 1e6 / TICKS_PER_SECOND / tasksDone,
                    databaseTicks * 1e6 / TICKS_PER_SECOND / tasksDone);
            results.add(String.format("{\"mode\":\"%s\",\"tasksPerSecond\":%.0f%s}", mode,
                    tasksDone / (double) seconds, cpu));
            System.err.println(results.get(results.size() - 1));
        }
        System.out.println("[" + String.join(",", results) + "]");
    }

    /** Turns the task table's event triggers on or off (what "off" measures against). */
    private static void triggers(String conninfo, String action) throws Exception {
        String sql = "ALTER TABLE task " + action + " TRIGGER task_events_insert, " + action
                + " TRIGGER task_events_update, " + action + " TRIGGER task_events_delete";
        Process psql = new ProcessBuilder("psql", "-qX", "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo)
                .inheritIO().start();
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + sql);
        }
    }

    /** Linux's USER_HZ: /proc reports CPU times in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    /** User + system CPU ticks of one process so far, from /proc/PID/stat (0 when it is gone). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception gone) {
            return 0;
        }
    }

    /** CPU ticks of the postmaster and every process it started (the backends of the pool stay for the round). */
    private static long treeTicks(long postmaster) throws Exception {
        if (postmaster < 0) {
            return 0;
        }
        long sum = ticks(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && parent(p) == postmaster) {
                    sum += ticks(Long.parseLong(name));
                }
            }
        }
        return sum;
    }

    private static long parent(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (Exception gone) {
            return -1;
        }
    }

    private static long run(String base, String channel, int workers, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch finished = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            String worker = "w" + w;
            new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        String acquired = post(base + "/api/v1/channel/" + channel + "/acquire",
                                "{\"workerId\":\"" + worker + "\"}");
                        String id = id(acquired);
                        if (id == null) {
                            continue;
                        }
                        post(base + "/api/v1/task/" + id + "/release",
                                "{\"workerId\":\"" + worker + "\",\"output\":{\"ok\":true}}");
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    finished.countDown();
                }
            }).start();
        }
        finished.await();
        return done.get();
    }

    private static String post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String id(String json) {
        Matcher m = ID.matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
