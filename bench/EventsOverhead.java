import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a connected event stream costs the hot path: acquire + release throughput of polling workers on a running
 * service, in rounds that alternate between no stream and one stream of /api/v1/events held open (noise on a shared
 * machine is larger than the difference, so compare the medians of several rounds of each).
 *   java bench/EventsOverhead.java http://127.0.0.1:3000 [workers=8] [seconds=20] [rounds=3]
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
        List<String> results = new ArrayList<>();
        for (int round = 0; round < rounds * 2; round++) {
            boolean listening = round % 2 == 1;
            for (int i = 0; i < 60; i++) { // more tasks than a round can take
                post(base + "/api/v1/task_group/" + group + "/tasks/bulk", bulk);
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
            double perSecond = run(base, channel, workers, seconds);
            if (stream != null) {
                stream.close();
            }
            results.add(String.format("{\"listener\":%s,\"tasksPerSecond\":%.0f}", listening, perSecond));
            System.err.println(results.get(results.size() - 1));
        }
        System.out.println("[" + String.join(",", results) + "]");
    }

    private static double run(String base, String channel, int workers, int seconds) throws Exception {
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
        return done.get() / (double) seconds;
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
