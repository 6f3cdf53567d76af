package io.crewjvm.worker;

import io.crewjvm.db.SqlStates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for the common release. Releases that arrive while {@code lanes} statements are already running
 * wait, and the next free lane completes all of them (up to {@code maxBatch}) in one statement: one commit
 * instead of many, and a fan-in child loses many parents in one row update instead of one update each, which
 * under load made the releases of its parents queue one by one on its row lock. A release that finds a free
 * lane runs at once, alone: batching costs no latency and happens only when releases would wait anyway.
 * <p>
 * Each release stays fenced and atomic with its children's counters: the statement completes those of its rows
 * that are leased to the releasing worker, and a task's completion and its children's counts commit together.
 * A task released twice at once goes into different statements, so that each gets the answer it would alone.
 * When a statement of several releases fails, each of them is run again alone, so that one bad release cannot
 * fail the others; unless the database cannot be reached, which every one of them would only wait for in turn.
 */
final class ReleaseCombiner {

    /** One release waiting for its statement: its outcome, once a lane has run it. */
    private static final class Pending {
        final WorkerRepository.SimpleRelease release;
        boolean done;
        String json;
        RuntimeException error;

        Pending(WorkerRepository.SimpleRelease release) {
            this.release = release;
        }
    }

    private final Function<List<WorkerRepository.SimpleRelease>, Map<String, String>> statement;
    private final int lanes;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int running;

    /**
     * @param statement completes a batch of releases; by task id, the documents of those it completed (the
     *                  others were not leased to that worker, or need the general path)
     */
    ReleaseCombiner(Function<List<WorkerRepository.SimpleRelease>, Map<String, String>> statement, int lanes,
                    int maxBatch) {
        this.statement = statement;
        this.lanes = lanes;
        this.maxBatch = maxBatch;
    }

    /** Completes one release, alone or with others; the task's document, or null when it did not apply. */
    String complete(WorkerRepository.SimpleRelease release) {
        Pending mine = new Pending(release);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (running < lanes && !queue.isEmpty()) {
                    List<Pending> batch = take();
                    running++;
                    lock.unlock();
                    try {
                        run(batch);
                    } finally {
                        lock.lock();
                        running--;
                        changed.signalAll();
                    }
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.json;
    }

    /** The oldest waiting releases, each task at most once (a second release of a task waits for the next). */
    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Pending next = it.next();
            if (ids.add(next.release.id())) {
                batch.add(next);
                it.remove();
            }
        }
        return batch;
    }

    /**
     * Runs a batch outside the lock and records each outcome; the caller publishes them. Whatever happens, each
     * release of the batch is done afterwards, so that no caller waits forever (after an Error, with no outcome:
     * its caller takes the general path, which finds the task as the failed statement left it).
     */
    private void run(List<Pending> batch) {
        try {
            Map<String, String> completed = statement.apply(batch.stream().map(p -> p.release).toList());
            for (Pending p : batch) {
                p.json = completed.get(p.release.id());
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1 || SqlStates.isUnavailable(e)) {
                batch.forEach(p -> p.error = e);
            } else {
                batch.forEach(this::runAlone);
            }
        } finally {
            for (Pending p : batch) {
                p.done = true;
            }
        }
    }

    private void runAlone(Pending p) {
        try {
            p.json = statement.apply(List.of(p.release)).get(p.release.id());
        } catch (RuntimeException e) {
            p.error = e;
        }
    }
}
