package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.PostgresServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A workgroup's cap holds across replicas: two packaged services on one database, 40 workers polling both, 2,000
 * tasks of a workgroup capped at 5 running. Checked from the attempt ledger: never more than 5 attempts overlap, and
 * the workgroup's throughput is what 5 slots give (5 / task time), not less.
 */
class WorkgroupCapReplicasIT {

    private static final int TASKS = 2_000;
    private static final int WORKERS = 40;
    private static final int CAP = 5;
    private static final long TASK_MILLIS = 100;

    @Test
    void forty_workers_on_two_replicas_never_run_more_than_the_cap() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess a = ServiceProcess.start("cap-a", db.jdbcUrl(), Map.of());
             ServiceProcess b = ServiceProcess.start("cap-b", db.jdbcUrl(), Map.of())) {
            Http[] services = {new Http(a.base()), new Http(b.base())};
            assertEquals(200, services[0].put("api/v1/workgroup/account", Map.of("maxRunning", CAP)).status());
            String group = services[0].post("api/v1/task_groups", Map.of("name", "capped")).json().get("_id").asText();
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Map.of("name", "t" + i, "channel", "calls", "workgroup", "account"));
            }
            assertEquals(200, services[1].post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks))
                    .status());

            AtomicInteger released = new AtomicInteger();
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Http service = services[w % 2];
                String worker = "w" + w;
                Thread t = new Thread(() -> work(service, worker, released));
                t.start();
                workers.add(t);
            }
            for (Thread t : workers) {
                t.join(300_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            assertEquals(TASKS, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group));
            long overlapping = sql.count("SELECT max(s) FROM (SELECT sum(d) OVER (ORDER BY at, d ROWS UNBOUNDED "
                    + "PRECEDING) s FROM (SELECT acquired_at AS at, 1 AS d FROM finished_attempt UNION ALL "
                    + "SELECT finished_at, -1 FROM finished_attempt) e) x");
            assertTrue(overlapping <= CAP, "the ledger shows " + overlapping + " attempts at once");
            assertEquals(CAP, overlapping, "the cap's slots are all used");
            double perSecond = TASKS / seconds;
            // Each slot turns over once per task time plus a release, a wake-up and an acquire (tens of ms on a
            // loaded 2-core machine running both services, PostgreSQL and the workers).
            assertTrue(perSecond >= 0.6 * CAP * 1000 / TASK_MILLIS, perSecond + " tasks/s");
            assertEquals(0, sql.count("SELECT workgroup_running(w) FROM workgroup w WHERE name = 'account'"));
            Invariants.assertAll(sql);
            System.out.printf("[flow control] cap %d on two replicas, %d workers: %d tasks in %.1f s, %.0f tasks/s "
                    + "(at most %.0f), %d at once at most%n", CAP, WORKERS, TASKS, seconds, perSecond,
                    CAP * 1000.0 / TASK_MILLIS, overlapping);
        }
    }

    private static void work(Http service, String worker, AtomicInteger released) {
        while (released.get() < TASKS) {
            JsonNode task = service.post("api/v1/channel/calls/acquire", Map.of("workerId", worker, "waitSeconds", 1))
                    .json().get("task");
            if (task == null || task.isNull()) {
                continue;
            }
            try {
                Thread.sleep(TASK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String id = task.get("_id").asText();
            if (service.post("api/v1/task/" + id + "/release", Map.of("workerId", worker, "output", 1)).status() == 200) {
                released.incrementAndGet();
            }
        }
    }
}
