package io.crewjvm.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.CrewConfig;
import io.crewjvm.metrics.CrewMetrics;
import io.crewjvm.worker.LongPoll;
import io.crewjvm.worker.WorkerService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers ready tasks to HTTP workers: one {@link Lane} per operator that is not paused, and with
 * CREW_VIRTUAL_OPERATOR_BASE_URL one per channel that has ready tasks and no operator of its own. The set of
 * lanes follows the operator table (re-read every CREW_OPERATOR_REFRESH_INTERVAL, and at once after a change
 * through this instance). Lanes lease with SKIP LOCKED like any worker, so every replica may run them: each task
 * is delivered by one of them.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A virtual lane whose channel had nothing to deliver for this long is stopped (it restarts when needed). */
    private static final long VIRTUAL_IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final OperatorRepository operators;
    private final LongPoll longPoll;
    private final WorkerService worker;
    private final CrewConfig config;
    private final CrewMetrics metrics;
    private final Duration shutdownTimeout;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Set<String> invalid = new HashSet<>();
    private ExecutorService deliveries;
    private Webhook webhook;
    private volatile boolean running;
    private Thread supervisor;

    Dispatcher(OperatorRepository operators, LongPoll longPoll, WorkerService worker, CrewConfig config,
               CrewMetrics metrics, @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> shutdownTimeout) {
        this.operators = operators;
        this.longPoll = longPoll;
        this.worker = worker;
        this.config = config;
        this.metrics = metrics;
        this.shutdownTimeout = shutdownTimeout.orElse(Duration.ofSeconds(25));
    }

    void start(@Observes StartupEvent event) {
        deliveries = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "crew-webhook");
            thread.setDaemon(true);
            return thread;
        });
        webhook = new Webhook(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(deliveries).build());
        running = true;
        supervisor = new Thread(this::supervise, "crew-operator-dispatcher");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /**
     * Stops leasing, then waits for the deliveries in flight to be answered and released: before the connection pool
     * closes, within the shutdown timeout. A delivery still out after it is reclaimed when its lease ends.
     */
    synchronized void stop(@Observes ShutdownEvent event) {
        running = false;
        if (supervisor != null) {
            supervisor.interrupt();
        }
        lanes.values().forEach(Lane::stop);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            for (Lane lane : lanes.values()) {
                if (!lane.awaitIdle(deadline - System.nanoTime())) {
                    LOG.warnf("Deliveries of operator %s still in flight at shutdown; their leases will expire",
                            lane.target().key());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.clear();
        if (deliveries != null) {
            deliveries.shutdown();
        }
    }

    private void supervise() {
        while (running) {
            refresh();
            try {
                Thread.sleep(config.operatorRefreshInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts, restarts and stops lanes so that they match the operators (and the virtual operator's channels). */
    public synchronized void refresh() {
        if (!running) {
            return;
        }
        Plan plan;
        try {
            plan = plan();
        } catch (RuntimeException e) {
            LOG.warnf("Operators could not be read (%s); the current deliveries go on", e.getMessage());
            return;
        }
        Map<String, Target> wanted = plan.targets();
        lanes.entrySet().removeIf(entry -> {
            Target target = wanted.get(entry.getKey());
            Lane lane = entry.getValue();
            if (target == null && lane.target().virtual() && !lane.idleFor(VIRTUAL_IDLE_NANOS)
                    && !plan.operatedChannels().contains(lane.target().channel())) {
                return false; // its channel may have ready tasks again soon: a DAG's next level
            }
            if (!lane.target().equals(target)) {
                lane.stop();
                return true;
            }
            return false;
        });
        wanted.forEach((key, target) -> lanes.computeIfAbsent(key, k -> {
            Lane lane = new Lane(target, longPoll, worker, webhook, metrics, config.operatorConcurrency());
            lane.start();
            return lane;
        }));
    }

    /** The lanes there should be, by key; and the channels that have an operator, paused or not. */
    private record Plan(Map<String, Target> targets, Set<String> operatedChannels) {
    }

    private Plan plan() {
        Duration timeout = Duration.ofSeconds(config.abandonedTaskIntervalInSeconds());
        Map<String, Target> wanted = new LinkedHashMap<>();
        Set<String> operatedChannels = new HashSet<>();
        for (OperatorRepository.Registered operator : operators.all()) {
            operatedChannels.add(operator.channel());
            if (operator.paused()) {
                continue;
            }
            try {
                RequestConfig requestConfig = RequestConfig.parse(
                        operator.requestConfig() == null ? null : MAPPER.readTree(operator.requestConfig()), timeout);
                wanted.put(operator.id(), new Target(operator.id(), "operator_" + operator.id(), operator.channel(),
                        URI.create(operator.url()), requestConfig, false));
                invalid.remove(operator.id());
            } catch (RuntimeException | java.io.IOException e) {
                if (invalid.add(operator.id())) {
                    LOG.warnf("Operator %s is not served: %s", operator.id(), e.getMessage());
                }
            }
        }
        if (config.virtualOperatorBaseUrl().isPresent()) {
            Map<String, String> headers = config.virtualOperatorAuthToken()
                    .map(token -> Map.of("Authorization", "Bearer " + token)).orElse(Map.of());
            RequestConfig virtualConfig = new RequestConfig(headers, timeout);
            for (String channel : operators.channelsWithReadyTasks()) {
                if (!operatedChannels.contains(channel)) {
                    URI url = URI.create(config.virtualOperatorBaseUrl().get()
                            + URLEncoder.encode(channel, StandardCharsets.UTF_8).replace("+", "%20"));
                    wanted.put("virtual:" + channel,
                            new Target("virtual:" + channel, "operator_virtual", channel, url, virtualConfig, true));
                }
            }
        }
        return new Plan(wanted, operatedChannels);
    }
}
