package io.crewjvm.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

/** The invariants every scenario ends by checking, in SQL (reliability.md). */
public final class Invariants {

    private Invariants() {
    }

    public static void assertAll(Sql sql) {
        // The ledger is complete: a running attempt has no ledger row yet (task_attempt shows it from the task
        // row), every attempt that ended has one, with its outcome, and every attempt the task counted is there.
        assertEquals(0, sql.count("SELECT count(*) FROM task t JOIN finished_attempt a ON a.task_id = t.id "
                + "AND a.attempt = t.attempt WHERE t.state = 'running'"), "a running attempt recorded as finished");
        assertEquals(0, sql.count("SELECT count(*) FROM task t WHERE t.attempt <> (SELECT count(*) FROM task_attempt a "
                + "WHERE a.task_id = t.id)"), "a task's attempt number differs from its rows in the ledger");
        // Judged from the ledger, which survives resets: every executed attempt of a child started after an
        // attempt of each parent completed (or the parent was merged with a duplicate that did). A child that runs
        // when its parents are done may also run after a parent that failed or was cancelled.
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt a JOIN task_edge e ON e.child_id = a.task_id "
                + "JOIN task c ON c.id = a.task_id "
                + "WHERE a.outcome IS DISTINCT FROM 'merged' AND NOT c.runs_when_parents_done "
                + "AND NOT EXISTS (SELECT 1 FROM task_attempt pa "
                + "WHERE pa.task_id = e.parent_id AND pa.outcome IN ('completed', 'merged') "
                + "AND pa.finished_at <= a.acquired_at)"),
                "a child was acquired before its parent completed");
        assertEquals(0, sql.count("SELECT count(*) FROM task t WHERE t.parents_left <> (SELECT count(*) FROM "
                + "task_edge e JOIN task p ON p.id = e.parent_id WHERE e.child_id = t.id "
                + "AND task_parent_open(t.runs_when_parents_done, p.state))"),
                "a parents-left counter differs from the real number of open parents");
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE remaining_attempts < 0"),
                "attempts below zero");
        assertEquals(0, sql.count("SELECT count(*) FROM (SELECT channel, key FROM task WHERE state = 'running' "
                + "AND key IS NOT NULL GROUP BY channel, key HAVING count(*) > 1) x"),
                "two executions of one duplicate key in flight");
    }

    /**
     * Every task of the channel is complete, and completed by exactly one attempt: however often the workers' calls
     * were cut off and tried again, each task's result was applied once.
     */
    public static void assertEveryTaskCompletedOnce(Sql sql, String channel) {
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state <> 'complete'", channel),
                "a task is not complete");
        assertEquals(0, sql.count("SELECT count(*) FROM task t WHERE t.channel = ? AND (SELECT count(*) FROM "
                + "finished_attempt a WHERE a.task_id = t.id AND a.outcome = 'completed') <> 1", channel),
                "a task completed other than once");
    }

    /**
     * The invariants, and no lease expired longer than two sweeps of the reclaimer ago: for a service whose
     * reclaimer runs every {@code sweep} (tests without a reclaimer cannot promise it).
     */
    public static void assertAll(Sql sql, Duration sweep) {
        assertAll(sql);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE assigned_to IS NOT NULL "
                + "AND lease_expires_at < now() - make_interval(secs => ?)", 2.0 * sweep.toMillis() / 1000),
                "a lease expired more than two sweeps ago and was not reclaimed");
    }
}
