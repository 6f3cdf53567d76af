import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What live events cost the hot path: acquire + release throughput of polling workers on a running service, in
 * rounds that cycle through the modes "idle" (the event triggers on, no stream open anywhere: what every user
 * pays), "listening" (one stream of /api/v1/events held open), "socketio" (one socket.io client over WebSocket
 * watching the busy group, as crew-ui's group page does, receiving every event of it), "socketio-other" (the same
 * client watching an empty group: every change is announced and none is read or sent, which is what announcing
 * alone costs) and, when a psql connection string is given,
 * "off" (the event triggers disabled, as if there were no live events at all). Noise on a shared machine is
 * larger than small differences in throughput: compare the medians of several rounds of each. Given the pids of
 * the service and of its PostgreSQL's postmaster, each round also reports the CPU time the service and the
 * database (postmaster and its children) spent per task, which other load on the machine disturbs far less. A
 * first round warms the service up and is not reported. Prints one JSON document: the rounds, the medians per
 * mode and their ratios. bench/run.sh runs it as its second phase.
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
        List<String> modes = conninfo == null ? List.of("idle", "listening", "socketio", "socketio-other")
                : List.of("off", "idle", "listening", "socketio", "socketio-other");
        String quietGroup = id(post(base + "/api/v1/task_groups", "{\"name\":\"overhead-quiet\"}"));
        List<Round> results = new ArrayList<>();
        // Round -1 warms the service up (JIT, pool, caches) and is not reported.
        for (int round = -1; round < rounds * modes.size(); round++) {
            String mode = round < 0 ? "idle" : modes.get(round % modes.size());
            if (conninfo != null) {
                triggers(conninfo, mode.equals("off") ? "DISABLE" : "ENABLE");
            }
            String roundChannel = channel + "-" + (round + 1);
            for (int i = 0; i < 30; i++) { // more tasks than a round can take
                post(base + "/api/v1/task_group/" + group + "/tasks/bulk", bulk.replace(channel, roundChannel));
            }
            InputStream stream = mode.equals("listening") ? HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/events")).build(), HttpResponse.BodyHandlers.ofInputStream()).body()
                    : null;
            if (stream != null) {
                Thread drain = new Thread(() -> {
                    try {
                        stream.transferTo(OutputStream.nullOutputStream());
                    } catch (Exception ignored) {
                        // closed at the end of the round
                    }
                });
                drain.setDaemon(true);
                drain.start();
                Thread.sleep(500); // the stream's presence row is written before it is told "connected"
            }
            SocketIoWatcher watcher = !mode.startsWith("socketio") ? null
                    : SocketIoWatcher.watch(base, mode.equals("socketio") ? group : quietGroup);
            long serviceTicks = ticks(servicePid);
            long databaseTicks = treeTicks(postmasterPid);
            long tasksDone = run(base, roundChannel, workers, seconds);
            serviceTicks = ticks(servicePid) - serviceTicks;
            databaseTicks = treeTicks(postmasterPid) - databaseTicks;
            if (stream != null) {
                stream.close();
            }
            if (watcher != null) {
                System.err.printf("socket.io watcher (%s) received %d events%n", mode, watcher.close());
            }
            Round r = new Round(mode, tasksDone / (double) seconds,
                    serviceTicks * 1e6 / TICKS_PER_SECOND / tasksDone, databaseTicks * 1e6 / TICKS_PER_SECOND / tasksDone);
            System.err.println((round < 0 ? "warm-up " : "") + r.json());
            if (round >= 0) {
                results.add(r);
            }
        }
        StringBuilder out = new StringBuilder(String.format("{\"workers\": %d, \"roundSeconds\": %d, \"client\": "
                + "\"java.net.http.HttpClient, HTTP/1.1, batch 1\", \"rounds\": [", workers, seconds));
        out.append(String.join(", ", results.stream().map(Round::json).toList())).append("], \"medians\": {");
        List<String> medians = new ArrayList<>();
        for (String mode : modes) {
            List<Round> of = results.stream().filter(r -> r.mode.equals(mode)).toList();
            Round median = new Round(mode, median(of, Round::tasksPerSecond), median(of, Round::serviceCpu),
                    median(of, Round::databaseCpu));
            medians.add("\"" + mode + "\": " + median.json());
        }
        out.append(String.join(", ", medians)).append("}");
        if (modes.contains("off")) {
            out.append(String.format(", \"idleVsOffTasksPerSecond\": %.2f, \"idleVsOffDatabaseCpu\": %.2f",
                    ratio(results, "idle", "off", Round::tasksPerSecond), ratio(results, "idle", "off", Round::databaseCpu)));
        }
        out.append(String.format(", \"listeningVsIdleTasksPerSecond\": %.2f, \"listeningVsIdleDatabaseCpu\": %.2f, "
                + "\"listeningVsIdleServiceCpu\": %.2f", ratio(results, "listening", "idle", Round::tasksPerSecond),
                ratio(results, "listening", "idle", Round::databaseCpu),
                ratio(results, "listening", "idle", Round::serviceCpu)));
        for (String watched : List.of("socketio", "socketio-other")) {
            out.append(String.format(", \"%sVsIdleTasksPerSecond\": %.2f, \"%sVsIdleDatabaseCpu\": %.2f, "
                    + "\"%sVsIdleServiceCpu\": %.2f", watched, ratio(results, watched, "idle", Round::tasksPerSecond),
                    watched, ratio(results, watched, "idle", Round::databaseCpu),
                    watched, ratio(results, watched, "idle", Round::serviceCpu)));
        }
        out.append("}");
        System.out.println(out);
    }

    /** One round: its mode, throughput and CPU microseconds per task of the service and of the database. */
    private record Round(String mode, double tasksPerSecond, double serviceCpu, double databaseCpu) {
        String json() {
            return String.format("{\"mode\": \"%s\", \"tasksPerSecond\": %.0f, \"serviceCpuMicrosPerTask\": %.0f, "
                    + "\"databaseCpuMicrosPerTask\": %.0f}", mode, tasksPerSecond, serviceCpu, databaseCpu);
        }
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
        double[] v = rounds.stream().mapToDouble(value).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double ratio(List<Round> rounds, String mode, String baseline, ToDoubleFunction<Round> value) {
        return median(rounds.stream().filter(r -> r.mode.equals(mode)).toList(), value)
                / median(rounds.stream().filter(r -> r.mode.equals(baseline)).toList(), value);
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

    /**
     * A socket.io client as socket.io-client 4 speaks to the service over WebSocket (Engine.IO 4: open packet,
     * CONNECT, pings answered), watching one group with an acknowledgement so that the round starts once its events
     * flow; counts the events it receives.
     */
    private static final class SocketIoWatcher implements java.net.http.WebSocket.Listener {

        private final String group;
        private final StringBuilder message = new StringBuilder();
        private final CountDownLatch watching = new CountDownLatch(1);
        private final AtomicLong events = new AtomicLong();
        private java.net.http.WebSocket socket;

        private SocketIoWatcher(String group) {
            this.group = group;
        }

        static SocketIoWatcher watch(String base, String group) throws Exception {
            SocketIoWatcher watcher = new SocketIoWatcher(group);
            watcher.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replaceFirst("^http", "ws")
                    + "/socket.io/?EIO=4&transport=websocket"), watcher).get();
            if (!watcher.watching.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("socket.io watch not acknowledged");
            }
            return watcher;
        }

        /** Reads everything as it comes, as a browser does, instead of asking for one message at a time. */
        @Override
        public void onOpen(java.net.http.WebSocket ws) {
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                boolean last) {
            message.append(data);
            if (last) {
                String packet = message.toString();
                message.setLength(0);
                if (packet.startsWith("0")) {
                    ws.sendText("40", true);
                } else if (packet.startsWith("40")) {
                    ws.sendText("421[\"watchTaskGroup\",{\"taskGroupId\":\"" + group + "\"}]", true);
                } else if (packet.startsWith("431")) {
                    watching.countDown();
                } else if (packet.equals("2")) {
                    ws.sendText("3", true);
                } else if (packet.startsWith("42")) {
                    events.incrementAndGet();
                }
            }
            return null;
        }

        long close() {
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
            return events.get();
        }
    }
}
