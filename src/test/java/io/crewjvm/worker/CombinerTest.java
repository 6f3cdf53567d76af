package io.crewjvm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.db.AsyncSubmitter;
import io.crewjvm.db.BlockingSubmitter;
import io.crewjvm.db.Combiner;
import io.crewjvm.db.DbException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit, with statements that record the batches they were given (the SQL is tested elsewhere). */
class CombinerTest {

    private final List<List<String>> statements = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstStatementRunning = new CountDownLatch(1);
    private final CountDownLatch letFirstStatementFinish = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(40);
    /** Runs the statements of asynchronous requests. */
    private final ExecutorService runners = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        runners.shutdownNow();
    }

    /** Completes every release of a batch, answering "done:<id>:<worker>"; the first call waits to be let go. */
    private List<String> statement(List<LeaseRepository.SimpleRelease> batch) {
        statements.add(batch.stream().map(LeaseRepository.SimpleRelease::id).toList());
        if (statements.size() == 1) {
            firstStatementRunning.countDown();
            await(letFirstStatementFinish);
        }
        return batch.stream().map(r -> "done:" + r.id() + ":" + r.workerId()).toList();
    }

    private static LeaseRepository.SimpleRelease release(String id, String worker) {
        return new LeaseRepository.SimpleRelease(id, worker, null, null, true);
    }

    private Combiner<LeaseRepository.SimpleRelease, String> releases(
            Function<List<LeaseRepository.SimpleRelease>, List<String>> statement, int lanes, int maxBatch) {
        return new Combiner<>((batch, serialPartDone) -> statement.apply(batch),
                () -> LeaseRepository.SimpleRelease.batchOf(maxBatch), release -> null, lanes);
    }

    /**
     * The first release succeeded alone; the others, served by one statement that failed, each got its error
     * (of the given class) and none was run again alone.
     */
    private void assertTheOthersFailedTogether(List<Future<String>> answers, Class<? extends Exception> error)
            throws Exception {
        assertEquals("done:first:w", answers.get(0).get(10, TimeUnit.SECONDS));
        for (int i = 1; i < answers.size(); i++) {
            int index = i;
            Exception failure = assertThrows(Exception.class, () -> answers.get(index).get(10, TimeUnit.SECONDS));
            assertTrue(error.isInstance(failure.getCause()), failure.toString());
        }
        assertEquals(2, statements.size(), "no release was run again alone: " + statements);
    }

    private List<Future<String>> submitWhileTheFirstRuns(
            BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner,
            List<LeaseRepository.SimpleRelease> waiting) throws Exception {
        Future<String> first = pool.submit(() -> combiner.submit(release("first", "w")));
        assertTrue(firstStatementRunning.await(10, TimeUnit.SECONDS));
        List<Future<String>> futures = new ArrayList<>(List.of(first));
        for (LeaseRepository.SimpleRelease r : waiting) {
            futures.add(pool.submit(() -> combiner.submit(r)));
        }
        Thread.sleep(200); // they queue behind the only lane
        letFirstStatementFinish.countDown();
        return futures;
    }

    @Test
    void a_release_that_finds_a_free_lane_runs_at_once_alone() {
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(this::statement, 4, 100));
        letFirstStatementFinish.countDown();
        assertEquals("done:a:w", combiner.submit(release("a", "w")));
        assertEquals("done:b:w", combiner.submit(release("b", "w")));
        assertEquals(List.of(List.of("a"), List.of("b")), statements);
    }

    @Test
    void releases_waiting_for_a_lane_complete_together_and_each_gets_its_own_answer() throws Exception {
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(this::statement, 1, 100));
        List<LeaseRepository.SimpleRelease> waiting = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            waiting.add(release("t" + i, "w" + i));
        }
        List<Future<String>> answers = submitWhileTheFirstRuns(combiner, waiting);
        assertEquals("done:first:w", answers.get(0).get(10, TimeUnit.SECONDS));
        for (int i = 0; i < 30; i++) {
            assertEquals("done:t" + i + ":w" + i, answers.get(i + 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, statements.size(), "the 30 waiting releases made one statement: " + statements);
        assertEquals(30, statements.get(1).size());
    }

    @Test
    void a_statement_takes_at_most_the_batch_limit() throws Exception {
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(this::statement, 1, 8));
        List<LeaseRepository.SimpleRelease> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(release("t" + i, "w"));
        }
        for (Future<String> answer : submitWhileTheFirstRuns(combiner, waiting)) {
            answer.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 8, 8, 4), statements.stream().map(List::size).toList());
    }

    @Test
    void a_task_released_twice_at_once_goes_into_two_statements() throws Exception {
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(this::statement, 1, 100));
        List<Future<String>> answers = submitWhileTheFirstRuns(combiner,
                List.of(release("same", "w1"), release("other", "w"), release("same", "w2")));
        List<String> got = new ArrayList<>();
        for (Future<String> answer : answers) {
            got.add(answer.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("done:first:w", "done:same:w1", "done:other:w", "done:same:w2"), got);
        for (List<String> statement : statements) {
            assertEquals(statement.size(), new HashSet<>(statement).size(), "a task twice in " + statement);
        }
    }

    @Test
    void when_a_statement_of_several_fails_each_release_runs_alone_and_only_the_bad_one_fails() throws Exception {
        Function<List<LeaseRepository.SimpleRelease>, List<String>> failsOnBad = batch -> {
            if (batch.stream().anyMatch(r -> r.id().equals("bad"))) {
                statements.add(batch.stream().map(LeaseRepository.SimpleRelease::id).toList());
                throw new IllegalStateException("bad release");
            }
            return statement(batch);
        };
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(failsOnBad, 1, 100));
        List<Future<String>> answers = submitWhileTheFirstRuns(combiner,
                List.of(release("good1", "w"), release("bad", "w"), release("good2", "w")));
        assertEquals("done:first:w", answers.get(0).get(10, TimeUnit.SECONDS));
        assertEquals("done:good1:w", answers.get(1).get(10, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> answers.get(2).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
        assertEquals("done:good2:w", answers.get(3).get(10, TimeUnit.SECONDS));
    }

    @Test
    void a_statement_of_several_that_fails_after_its_serial_part_fails_them_all_without_running_each()
            throws Exception {
        Combiner.Statement<LeaseRepository.SimpleRelease, String> statement = (batch, serialPartDone) -> {
            if (statements.isEmpty()) {
                return statement(batch);
            }
            statements.add(batch.stream().map(LeaseRepository.SimpleRelease::id).toList());
            serialPartDone.run(); // committed: running the requests again would do their work twice
            throw new IllegalStateException("failed after the commit");
        };
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(new Combiner<>(statement,
                () -> LeaseRepository.SimpleRelease.batchOf(100), release -> null, 1));
        List<Future<String>> answers = submitWhileTheFirstRuns(combiner,
                List.of(release("a", "w"), release("b", "w"), release("c", "w")));
        assertTheOthersFailedTogether(answers, IllegalStateException.class);
    }

    @Test
    void when_the_database_cannot_be_reached_a_statement_of_several_fails_them_all_without_running_each()
            throws Exception {
        Function<List<LeaseRepository.SimpleRelease>, List<String>> unreachable = batch -> {
            if (statements.isEmpty()) {
                return statement(batch);
            }
            statements.add(batch.stream().map(LeaseRepository.SimpleRelease::id).toList());
            throw new DbException("worker/TaskCompleteSimpleMany", new SQLException("connection refused", "08001"));
        };
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(unreachable, 1, 100));
        List<Future<String>> answers = submitWhileTheFirstRuns(combiner,
                List.of(release("a", "w"), release("b", "w"), release("c", "w")));
        assertTheOthersFailedTogether(answers, DbException.class);
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(statements.get(1)));
    }

    @Test
    void many_threads_over_several_lanes_get_every_answer_once_and_no_statement_runs_empty() throws Exception {
        letFirstStatementFinish.countDown();
        Function<List<LeaseRepository.SimpleRelease>, List<String>> slow = batch -> {
            sleep(1);
            return statement(batch);
        };
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(slow, 4, 100));
        List<Future<List<String>>> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            String worker = "w" + t;
            threads.add(pool.submit(() -> {
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    answers.add(combiner.submit(release(worker + "-" + i, worker)));
                }
                return answers;
            }));
        }
        for (int t = 0; t < 32; t++) {
            List<String> answers = threads.get(t).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                assertEquals("done:w" + t + "-" + i + ":w" + t, answers.get(i));
            }
        }
        assertTrue(statements.stream().noneMatch(List::isEmpty), "an empty statement ran");
        assertEquals(32 * 50, statements.stream().mapToInt(List::size).sum(), "each release in one statement");
        assertTrue(statements.size() < 32 * 50, "no release waited for another: " + statements.size());
    }

    @Test
    void requests_submitted_together_are_served_in_one_statement_each_with_its_own_answer() {
        letFirstStatementFinish.countDown();
        BlockingSubmitter<LeaseRepository.SimpleRelease, String> combiner = waiting(releases(this::statement, 4, 100));
        assertEquals(List.of("done:a:w1", "done:b:w2", "done:c:w1"),
                combiner.submitAll(List.of(release("a", "w1"), release("b", "w2"), release("c", "w1"))));
        assertEquals(List.of(List.of("a", "b", "c")), statements);
    }

    @Test
    void acquires_are_combined_only_within_one_channel_and_up_to_the_task_limit() throws Exception {
        List<List<LeaseRepository.Acquisition>> batches = new CopyOnWriteArrayList<>();
        Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement = (batch, serialPartDone) -> {
            batches.add(batch);
            if (batches.size() == 1) {
                firstStatementRunning.countDown();
                await(letFirstStatementFinish);
            }
            return batch.stream().map(a -> List.of(a.channel() + ":" + a.workerId() + ":" + a.limit())).toList();
        };
        BlockingSubmitter<LeaseRepository.Acquisition, List<String>> combiner = waiting(acquisitions(statement, 1));
        Future<List<String>> first = pool.submit(() -> combiner.submit(acquisition("c1", "first", 1)));
        assertTrue(firstStatementRunning.await(10, TimeUnit.SECONDS));
        List<LeaseRepository.Acquisition> waiting = List.of(acquisition("c1", "a", 5), acquisition("c2", "b", 5),
                acquisition("c1", "c", 5), acquisition("c1", "d", 996));
        List<Future<List<String>>> answers = new ArrayList<>();
        for (LeaseRepository.Acquisition a : waiting) {
            answers.add(pool.submit(() -> combiner.submit(a)));
        }
        Thread.sleep(200); // they queue behind the only lane
        letFirstStatementFinish.countDown();
        assertEquals(List.of("c1:first:1"), first.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < waiting.size(); i++) {
            LeaseRepository.Acquisition a = waiting.get(i);
            assertEquals(List.of(a.channel() + ":" + a.workerId() + ":" + a.limit()),
                    answers.get(i).get(10, TimeUnit.SECONDS));
        }
        for (List<LeaseRepository.Acquisition> batch : batches) {
            assertEquals(1, batch.stream().map(LeaseRepository.Acquisition::channel).distinct().count(),
                    "one channel per statement: " + batch);
            assertTrue(batch.stream().mapToInt(LeaseRepository.Acquisition::limit).sum() <= 1000, batch.toString());
        }
        assertTrue(batches.stream().anyMatch(batch -> batch.size() == 2
                        && batch.stream().map(LeaseRepository.Acquisition::workerId).sorted().toList()
                        .equals(List.of("a", "c"))),
                "the two small acquires of c1 were served together: " + batches);
        assertEquals(4, batches.size(), "first, then [a c], [b] and [d] in some order: " + batches);
    }

    @Test
    void acquires_of_a_channel_run_one_statement_at_a_time_while_other_channels_run_beside_them() throws Exception {
        Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement = (batch, serialPartDone) -> {
            if (batch.get(0).workerId().equals("first")) {
                firstStatementRunning.countDown();
                await(letFirstStatementFinish);
            }
            return batch.stream().map(a -> List.of(a.workerId())).toList();
        };
        BlockingSubmitter<LeaseRepository.Acquisition, List<String>> combiner = waiting(acquisitions(statement, 4));
        Future<List<String>> first = pool.submit(() -> combiner.submit(acquisition("c1", "first", 1)));
        assertTrue(firstStatementRunning.await(10, TimeUnit.SECONDS));
        Future<List<String>> sameChannel = pool.submit(() -> combiner.submit(acquisition("c1", "same", 1)));
        Future<List<String>> otherChannel = pool.submit(() -> combiner.submit(acquisition("c2", "other", 1)));
        assertEquals(List.of("other"), otherChannel.get(10, TimeUnit.SECONDS), "c2 ran beside the running c1");
        Thread.sleep(200);
        assertTrue(!sameChannel.isDone(), "a second statement of c1 ran while the first was running");
        letFirstStatementFinish.countDown();
        assertEquals(List.of("first"), first.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("same"), sameChannel.get(10, TimeUnit.SECONDS));
    }

    @Test
    void the_next_statement_of_a_channel_starts_once_the_running_one_ends_its_serial_part() throws Exception {
        CountDownLatch secondStarted = new CountDownLatch(1);
        Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement = (batch, serialPartDone) -> {
            if (batch.get(0).workerId().equals("first")) {
                firstStatementRunning.countDown();
                await(letFirstStatementFinish);
                serialPartDone.run();
                serialPartDone.run(); // again: does nothing
                await(secondStarted); // the rest of the first overlaps with the second
            } else {
                secondStarted.countDown();
            }
            return batch.stream().map(a -> List.of(a.workerId())).toList();
        };
        BlockingSubmitter<LeaseRepository.Acquisition, List<String>> combiner = waiting(acquisitions(statement, 2));
        Future<List<String>> first = pool.submit(() -> combiner.submit(acquisition("c1", "first", 1)));
        assertTrue(firstStatementRunning.await(10, TimeUnit.SECONDS));
        Future<List<String>> second = pool.submit(() -> combiner.submit(acquisition("c1", "second", 1)));
        Thread.sleep(200);
        assertEquals(1, secondStarted.getCount(), "the second ran during the first one's serial part");
        letFirstStatementFinish.countDown();
        assertEquals(List.of("second"), second.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("first"), first.get(10, TimeUnit.SECONDS));
    }

    /**
     * A request without a waiting thread gets its outcome, or its statement's error, through its future; a
     * statement that fails fails only the requests it ran alone.
     */
    @Test
    void asynchronous_requests_complete_their_futures_with_their_outcome_or_their_error() throws Exception {
        AsyncSubmitter<LeaseRepository.SimpleRelease, String> combiner = async(releases(batch -> {
            if (batch.stream().anyMatch(r -> r.id().equals("bad"))) {
                throw new IllegalArgumentException("bad release");
            }
            return batch.stream().map(r -> r.id() + ":" + r.workerId()).toList();
        }, 1, 10));
        CompletableFuture<List<String>> good = combiner.submitAll(List.of(release("a", "w"), release("b", "w")));
        CompletableFuture<String> bad = combiner.submit(release("bad", "w"));
        assertEquals(List.of("a:w", "b:w"), good.get(10, TimeUnit.SECONDS));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertEquals(IllegalArgumentException.class, failure.getCause().getClass());
        assertEquals(List.of(), combiner.submitAll(List.of()).get(1, TimeUnit.SECONDS), "nothing to wait for");
    }

    /**
     * Many threads, few channels, statements that end their serial part early and take a while after it: every
     * request is answered, with its own outcome, and no two serial parts of a channel ever overlap; a quarter of
     * the requests come without a waiting thread (their statements run on the executor), the others with one.
     */
    @Test
    void under_load_every_request_is_answered_and_serial_parts_of_a_channel_never_overlap() throws Exception {
        Map<String, AtomicInteger> inSerialPart = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement = (batch, serialPartDone) -> {
            AtomicInteger running = inSerialPart.computeIfAbsent(batch.get(0).channel(), c -> new AtomicInteger());
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
            running.decrementAndGet();
            serialPartDone.run();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 400_000));
            return batch.stream().map(a -> List.of(a.workerId())).toList();
        };
        Combiner<LeaseRepository.Acquisition, List<String>> combiner = acquisitions(statement, 3);
        BlockingSubmitter<LeaseRepository.Acquisition, List<String>> waiting = waiting(combiner);
        AsyncSubmitter<LeaseRepository.Acquisition, List<String>> withoutThread = async(combiner);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 32; w++) {
            String worker = "w" + w;
            String channel = "c" + (w % 2);
            boolean async = w % 4 == 0;
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    LeaseRepository.Acquisition request = acquisition(channel, worker + ":" + i, 10);
                    assertEquals(List.of(worker + ":" + i), async
                            ? withoutThread.submit(request).get(30, TimeUnit.SECONDS)
                            : waiting.submit(request));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        assertEquals(0, overlaps.get());
    }

    /**
     * Under load, a request whose worker is "bad" makes every statement it is in throw during its serial part: the
     * other requests of such a statement are run again alone, one after the other, and until the last of them no
     * other statement of the channel may start. Every piece of work of a channel, the statements of several and the
     * re-runs alone, counts itself in the channel's serial part: never two at once.
     */
    @Test
    void the_requests_of_a_failed_statement_run_again_alone_before_the_next_statement_of_their_channel()
            throws Exception {
        Map<String, AtomicInteger> inSerialPart = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger failedStatementsOfSeveral = new AtomicInteger();
        Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement = (batch, serialPartDone) -> {
            AtomicInteger running = inSerialPart.computeIfAbsent(batch.get(0).channel(), c -> new AtomicInteger());
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 300_000));
            running.decrementAndGet();
            if (batch.stream().anyMatch(a -> a.workerId().startsWith("bad"))) {
                if (batch.size() > 1) {
                    failedStatementsOfSeveral.incrementAndGet();
                }
                throw new IllegalArgumentException("bad acquire");
            }
            serialPartDone.run();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
            return batch.stream().map(a -> List.of(a.workerId())).toList();
        };
        Combiner<LeaseRepository.Acquisition, List<String>> combiner = acquisitions(statement, 4);
        BlockingSubmitter<LeaseRepository.Acquisition, List<String>> waiting = waiting(combiner);
        AsyncSubmitter<LeaseRepository.Acquisition, List<String>> withoutThread = async(combiner);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 24; w++) {
            String channel = "c" + (w % 2);
            boolean async = w % 4 == 0;
            int worker = w;
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    boolean bad = (worker + i) % 7 == 0;
                    String id = (bad ? "bad" : "w") + worker + ":" + i;
                    LeaseRepository.Acquisition request = acquisition(channel, id, 1);
                    Callable<List<String>> acquire = () -> async
                            ? withoutThread.submit(request).get(30, TimeUnit.SECONDS)
                            : waiting.submit(request);
                    if (bad) {
                        Exception failure = assertThrows(Exception.class, acquire::call);
                        assertTrue(failure instanceof IllegalArgumentException
                                || failure.getCause() instanceof IllegalArgumentException, failure.toString());
                    } else {
                        assertEquals(List.of(id), acquire.call());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        assertTrue(failedStatementsOfSeveral.get() > 0, "no statement of several failed: the test proves nothing");
        assertEquals(0, overlaps.get(), "pieces of work of one channel that ran at once, of "
                + failedStatementsOfSeveral.get() + " failed statements of several");
    }

    private static <R, O> BlockingSubmitter<R, O> waiting(Combiner<R, O> combiner) {
        return new BlockingSubmitter<>(combiner);
    }

    /** Requests without a waiting thread, whose statements run on {@link #runners}. */
    private <R, O> AsyncSubmitter<R, O> async(Combiner<R, O> combiner) {
        return new AsyncSubmitter<>(combiner, runners);
    }

    /** A combiner of acquires as the service has it: serial per channel, up to 1,000 tasks per statement. */
    private Combiner<LeaseRepository.Acquisition, List<String>> acquisitions(
            Combiner.Statement<LeaseRepository.Acquisition, List<String>> statement, int lanes) {
        return new Combiner<>(statement, () -> LeaseRepository.Acquisition.batchOf(1000),
                LeaseRepository.Acquisition::channel, lanes);
    }

    private static LeaseRepository.Acquisition acquisition(String channel, String worker, int limit) {
        return new LeaseRepository.Acquisition(channel, worker, limit, null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
