package io.crewjvm.metrics;

import io.crewjvm.CrewConfig;
import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Gauges read from the database by a job, never by a scrape: a scrape only reads the last values, so any number
 * of scrapers cost nothing. The task counts need a pass over the task table: one replica per interval takes them
 * into a shared snapshot that every replica reads, so N replicas cost the same as one; and only while someone
 * scrapes (a scrape in the last two intervals, on any replica), so a service that nobody monitors never pays
 * for that pass. Every replica reports the same database-wide values: aggregate them with max, not sum.
 */
@ApplicationScoped
public class DatabaseGauges {

    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);

    private record ChannelState(String channel, String state, long tasks, double oldestReadySeconds,
                                double ageSeconds) {
    }

    private record Workgroup(String name, int paused) {
    }

    private record WorkgroupFlow(String name, int running, double unitsLeft, String heldBy, long held) {
    }

    private record TableStorage(String table, long dead, long live, long tableBytes, long indexBytes,
                                double vacuumAgeSeconds, long autovacuums) {
    }

    private final Db db;
    private final long intervalSeconds;
    private final MultiGauge tasks;
    private final MultiGauge backlogAge;
    private final MultiGauge workgroupPaused;
    private final MultiGauge workgroupRunning;
    private final MultiGauge workgroupUnitsLeft;
    private final MultiGauge workgroupHeld;
    private final MultiGauge tableDead;
    private final MultiGauge tableLive;
    private final MultiGauge tableSize;
    private final MultiGauge tableIndexSize;
    private final MultiGauge tableVacuumAge;
    private final MultiGauge tableAutovacuums;
    private volatile double oldestGroupSeconds = Double.NaN;
    private final AtomicLong deadTuples = new AtomicLong();
    private final AtomicLong liveTuples = new AtomicLong();
    /** When this replica's metrics were last scraped (System.nanoTime), or null before the first scrape. */
    private volatile Long scrapedAt;
    private volatile double countsAgeSeconds = Double.NaN;

    DatabaseGauges(Db db, MeterRegistry registry, CrewConfig config) {
        this.db = db;
        // A little less than the interval: the replica whose turn it is finds the last snapshot due.
        this.intervalSeconds = Math.max(1, config.metricsInterval().toSeconds() - 1);
        this.tasks = MultiGauge.builder("crew.tasks").description("Tasks per channel and state")
                .register(registry);
        this.backlogAge = MultiGauge.builder("crew.backlog.age").baseUnit("seconds")
                .description("Age of the oldest acquirable task per channel (0: none waiting)").register(registry);
        this.workgroupPaused = MultiGauge.builder("crew.workgroup.paused")
                .description("1 while a workgroup is paused; 0 for an hour after its pause ended").register(registry);
        this.workgroupRunning = MultiGauge.builder("crew.workgroup.running")
                .description("Leases of a workgroup with a cap or budget (and of those below it) running now")
                .register(registry);
        this.workgroupUnitsLeft = MultiGauge.builder("crew.workgroup.units.left")
                .description("Units the budget of a workgroup holds now").register(registry);
        this.workgroupHeld = MultiGauge.builder("crew.workgroup.held")
                .description("Ready or scheduled tasks of a workgroup with a cap or budget held now, by what holds "
                        + "them (paused, cap, budget)").register(registry);
        this.tableDead = MultiGauge.builder("crew.table.dead.tuples")
                .description("Dead tuples per table (pg_stat_user_tables)").register(registry);
        this.tableLive = MultiGauge.builder("crew.table.live.tuples")
                .description("Live tuples per table (pg_stat_user_tables)").register(registry);
        this.tableSize = MultiGauge.builder("crew.table.size").baseUnit("bytes")
                .description("Size of each table: heap, TOAST, free-space and visibility maps").register(registry);
        this.tableIndexSize = MultiGauge.builder("crew.table.indexes.size").baseUnit("bytes")
                .description("Size of the indexes of each table").register(registry);
        this.tableVacuumAge = MultiGauge.builder("crew.table.vacuum.age").baseUnit("seconds")
                .description("Time since the last vacuum (auto or manual) of each table; absent: never vacuumed")
                .register(registry);
        this.tableAutovacuums = MultiGauge.builder("crew.table.autovacuums")
                .description("Autovacuum runs of each table since the statistics were reset").register(registry);
        Gauge.builder("crew.oldest.group.age", this, g -> g.oldestGroupSeconds).baseUnit("seconds")
                .description("Age of the oldest task group kept; with its tasks and attempts, the oldest finished row")
                .register(registry);
        double retention = "yes".equalsIgnoreCase(config.cleanExpiredGroups())
                ? config.groupRetention().toMillis() / 1000.0 : Double.POSITIVE_INFINITY;
        Gauge.builder("crew.group.retention", () -> retention).baseUnit("seconds")
                .description("Age after which the cleaner deletes a group (+Inf: the cleaner is off)")
                .register(registry);
        registry.gauge("crew.task.dead.tuples", deadTuples);
        registry.gauge("crew.task.live.tuples", liveTuples);
        // Read by every scrape, which is how a scrape is noticed (see takeTaskCounts).
        Gauge.builder("crew.task.counts.age", this, DatabaseGauges::scraped).baseUnit("seconds")
                .description("Age of the task counts (crew_tasks, crew_backlog_age_seconds) at the last refresh")
                .register(registry);
    }

    /** The age of the task counts as of the last refresh (NaN before the first snapshot); notes the scrape. */
    private double scraped() {
        scrapedAt = System.nanoTime();
        return countsAgeSeconds;
    }

    /** Whether this replica was scraped in the last two intervals: only then are its task counts worth taking. */
    private boolean scrapedRecently() {
        Long at = scrapedAt;
        return at != null && System.nanoTime() - at < 2 * intervalSeconds * 1_000_000_000L + 2_000_000_000L;
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
    }

    @Scheduled(every = "${crew.metrics-interval:15s}", delayed = "${crew.metrics-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    // Synchronized: a refresh called directly (at start, by a test) may meet the scheduled one, and two registrations
    // of one MultiGauge at once can drop each other's rows (a series missing from the scrape).
    synchronized void refresh() {
        try {
            Transactions.retrying(this::takeTaskCounts);
            Transactions.autocommitRetrying(() -> {
                readTasks();
                readWorkgroups();
                readTuples();
                readStorage();
                return null;
            });
        } catch (RuntimeException e) {
            // The gauges keep their last values; health and logs report the database itself.
            LOG.debugf("Metrics not refreshed: %s", e.getMessage());
        }
    }

    private boolean takeTaskCounts() {
        if (!scrapedRecently()) {
            return false;
        }
        boolean due = db.sql("metrics/TaskCountsDue").bind("maxAgeSeconds", intervalSeconds)
                .one(rs -> rs.getBoolean(1)).orElse(false);
        if (due) {
            db.sql("metrics/TaskCountsClear").update();
            db.sql("metrics/TaskCountsTake").update();
        }
        return due;
    }

    private void readTasks() {
        List<ChannelState> rows = db.sql("metrics/TaskCountsByChannelAndState").list(rs -> new ChannelState(
                rs.getString("channel"), rs.getString("state"), rs.getLong("tasks"),
                rs.getDouble("oldest_ready_seconds"), rs.getDouble("age_seconds")));
        countsAgeSeconds = rows.isEmpty() ? Double.NaN : rows.get(0).ageSeconds();
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        Map<String, Double> oldest = new TreeMap<>();
        for (ChannelState row : rows) {
            counts.add(MultiGauge.Row.of(Tags.of("channel", row.channel(), "state", row.state()), row.tasks()));
            oldest.merge(row.channel(), row.oldestReadySeconds(), Math::max);
        }
        tasks.register(counts, true);
        backlogAge.register(oldest.entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("channel", e.getKey()), e.getValue()))
                .toList(), true);
    }

    private void readWorkgroups() {
        List<Workgroup> rows = db.sql("metrics/WorkgroupPausedRecently")
                .list(rs -> new Workgroup(rs.getString("name"), rs.getInt("paused")));
        workgroupPaused.register(rows.stream()
                .<MultiGauge.Row<?>>map(w -> MultiGauge.Row.of(Tags.of("workgroup", w.name()), w.paused()))
                .toList(), true);
        List<WorkgroupFlow> flows = db.sql("metrics/WorkgroupFlow").list(rs -> new WorkgroupFlow(
                rs.getString("name"), rs.getInt("running"), rs.getDouble("units_left"), rs.getString("held_by"),
                rs.getLong("held")));
        workgroupRunning.register(flows.stream()
                .<MultiGauge.Row<?>>map(w -> MultiGauge.Row.of(Tags.of("workgroup", w.name()), w.running()))
                .toList(), true);
        workgroupUnitsLeft.register(flows.stream().filter(w -> !Double.isNaN(w.unitsLeft()))
                .<MultiGauge.Row<?>>map(w -> MultiGauge.Row.of(Tags.of("workgroup", w.name()), w.unitsLeft()))
                .toList(), true);
        List<MultiGauge.Row<?>> held = new ArrayList<>();
        for (WorkgroupFlow w : flows) {
            for (String reason : List.of("paused", "cap", "budget")) {
                held.add(MultiGauge.Row.of(Tags.of("workgroup", w.name(), "reason", reason),
                        reason.equals(w.heldBy()) ? w.held() : 0));
            }
        }
        workgroupHeld.register(held, true);
    }

    private void readStorage() {
        List<TableStorage> rows = db.sql("metrics/TableStorage").list(rs -> {
            double age = rs.getDouble("vacuum_age_seconds");
            return new TableStorage(rs.getString("table_name"), rs.getLong("dead"), rs.getLong("live"),
                    rs.getLong("table_bytes"), rs.getLong("index_bytes"), rs.wasNull() ? Double.NaN : age,
                    rs.getLong("autovacuums"));
        });
        tableDead.register(rows(rows, TableStorage::dead), true);
        tableLive.register(rows(rows, TableStorage::live), true);
        tableSize.register(rows(rows, TableStorage::tableBytes), true);
        tableIndexSize.register(rows(rows, TableStorage::indexBytes), true);
        tableVacuumAge.register(rows(rows.stream().filter(t -> !Double.isNaN(t.vacuumAgeSeconds())).toList(),
                TableStorage::vacuumAgeSeconds), true);
        tableAutovacuums.register(rows(rows, TableStorage::autovacuums), true);
        oldestGroupSeconds = db.sql("metrics/OldestGroup").one(rs -> rs.getDouble(1)).orElse(0.0);
    }

    private static List<MultiGauge.Row<?>> rows(List<TableStorage> tables, ToDoubleFunction<TableStorage> value) {
        return tables.stream()
                .<MultiGauge.Row<?>>map(t -> MultiGauge.Row.of(Tags.of("table", t.table()), value.applyAsDouble(t)))
                .toList();
    }

    private void readTuples() {
        db.sql("metrics/TaskTableTuples").one(rs -> {
            deadTuples.set(rs.getLong("dead"));
            liveTuples.set(rs.getLong("live"));
            return null;
        });
    }
}
