package io.crewjvm.db;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The requests a {@link Combiner} took from its queue for one statement, with their serial keys held, and what
 * frees those keys (once, letting the next statement of the keys start).
 * <p>
 * The statement answers each request as if it had run alone (element i answers request i). When a statement of
 * several requests fails, each of them is run again alone, one after the other and with the statement's serial keys
 * held until the last, so that one bad request cannot fail the others; unless the database cannot be reached, which
 * every one of them would only wait for in turn, or the statement had ended its serial part, which has committed its
 * work: running it again would do that work twice.
 */
final class Batch<R, O> {

    final List<Pending<R, O>> requests;
    final Runnable serialPartDone;

    Batch(List<Pending<R, O>> requests, Runnable serialPartDone) {
        this.requests = requests;
        this.serialPartDone = serialPartDone;
    }

    /**
     * Runs the statement outside the lock and records each outcome or error; the caller publishes them. Whatever
     * happens, each request is done afterwards, so that no caller waits forever.
     */
    void run(Combiner.Statement<R, O> statement) {
        AtomicBoolean serialPartEnded = new AtomicBoolean();
        try {
            List<O> outcomes = statement.apply(requests.stream().map(p -> p.request).toList(), () -> {
                serialPartEnded.set(true);
                serialPartDone.run();
            });
            for (int i = 0; i < requests.size(); i++) {
                requests.get(i).outcome = outcomes.get(i);
            }
        } catch (RuntimeException e) {
            if (requests.size() == 1 || serialPartEnded.get() || SqlStates.isUnavailable(e)) {
                requests.forEach(p -> p.error = e);
            } else {
                runEachAlone(statement);
            }
        } catch (Error e) {
            requests.forEach(p -> p.error = e);
            throw e;
        } finally {
            for (Pending<R, O> p : requests) {
                p.done = true;
            }
        }
    }

    /**
     * Only the last re-run may end the serial part: one before it that did would let the next statement of the
     * keys run beside the re-runs still to come.
     */
    private void runEachAlone(Combiner.Statement<R, O> statement) {
        Runnable keysStillHeld = () -> { };
        for (int i = 0; i < requests.size(); i++) {
            Pending<R, O> p = requests.get(i);
            try {
                p.outcome = statement.apply(List.of(p.request),
                        i == requests.size() - 1 ? serialPartDone : keysStillHeld).get(0);
            } catch (RuntimeException e) {
                p.error = e;
            }
        }
    }
}
