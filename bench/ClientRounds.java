import io.crewjvm.client.LeasedTask;
import io.crewjvm.client.Parent;
import io.crewjvm.client.Released;
import io.crewjvm.client.TaskListener;
import io.crewjvm.client.TaskResult;
import io.crewjvm.client.Worker;
import io.crewjvm.client.WorkerGroup;
import io.crewjvm.client.WorkerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rounds of the JVM worker client (clients/java: a WorkerGroup of WORKERS threads, tasks that answer {"ok":true})
 * against a running service, each reporting tasks/s and the CPU time per task of PostgreSQL, of the service and of
 * this JVM (the client, which is all this JVM does while a round runs), from /proc. A first round warms up and is not
 * reported. Run with the client's jar on the class path, so that two builds of the client can be compared
 * (bench/compare-clients.sh alternates them):
 *   java -cp clients/java/target/crew-worker.jar [-Dbatch=N] bench/ClientRounds.java POSTMASTER_PID WORKERS SECONDS
 *        ROUNDS URL=SERVICE_PID [LABEL]
 */
public class ClientRounds {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"([0-9a-f]{24})\"");
    private static final int BATCH = Integer.getInteger("batch", 1);

    public static void main(String[] args) throws Exception {
        long postmaster = Long.parseLong(args[0]);
        int workers = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String[] target = args[4].split("=");
        String base = target[0];
        long service = Long.parseLong(target[1]);
        String label = args.length > 5 ? args[5] : "client";
        long self = ProcessHandle.current().pid();
        for (int round = -1; round < rounds; round++) {
            String channel = "clients" + System.nanoTime();
            String group = id(post(base + "/api/v1/task_groups", "{\"name\":\"clients\"}"));
            StringBuilder bulk = new StringBuilder("{\"tasks\":[");
            for (int i = 0; i < 1000; i++) {
                bulk.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i).append("\",\"channel\":\"")
                        .append(channel).append("\"}");
            }
            for (int i = 0; i < seconds * 2 * BATCH; i++) {
                post(base + "/api/v1/task_group/" + group + "/tasks/bulk", bulk + "]}");
            }
            Thread.sleep(1000);
            AtomicLong done = new AtomicLong();
            WorkerOptions options = WorkerOptions.defaults().withUrl(URI.create(base)).withBatchSize(BATCH)
                    .withListener(new Counting(done));
            Worker worker = new Worker("bench", channel) {
                @Override
                public TaskResult execute(JsonNode input, List<Parent> parents) {
                    return TaskResult.of(Map.of("ok", true));
                }
            };
            WorkerGroup workerGroup = new WorkerGroup(options).add(worker, workers);
            long db0 = databaseTicks(postmaster);
            long service0 = ticks(service);
            long self0 = ticks(self);
            long done0 = done.get();
            workerGroup.start();
            Thread.sleep(seconds * 1000L);
            long n = done.get() - done0;
            double[] r = {n / (double) seconds, (databaseTicks(postmaster) - db0) * 1e4 / n,
                    (ticks(service) - service0) * 1e4 / n, (ticks(self) - self0) * 1e4 / n};
            workerGroup.shutdown();
            System.out.printf("%s round %d: %.0f tasks/s, CPU us/task: database %.0f, service %.0f, workers %.0f%n",
                    label, round, r[0], r[1], r[2], r[3]);
        }
    }

    /** Counts the tasks released. */
    private record Counting(AtomicLong done) implements TaskListener {
        @Override
        public void taken(String workerId, LeasedTask task) {
        }

        @Override
        public void released(String workerId, LeasedTask task, Released outcome, Duration took) {
            done.incrementAndGet();
        }

        @Override
        public void trouble(String workerId, String what, Throwable error) {
        }
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

    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (Exception e) {
            return null;
        }
    }
}
