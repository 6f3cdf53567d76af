package io.crewjvm.db;

import java.util.Arrays;
import java.util.List;

/**
 * One request waiting in a {@link Combiner}'s queue, then its outcome once a statement has served it. The front end
 * that queued it says who runs that statement and how the end of it reaches the requester.
 *
 * @param <R> the request
 * @param <O> its outcome
 */
abstract class Pending<R, O> {

    final R request;
    /** Set last, outside the lock: volatile, so that whoever sees it also sees the outcome or error. */
    volatile boolean done;
    O outcome;
    Throwable error;

    Pending(R request) {
        this.request = request;
    }

    /**
     * Called under the combiner's lock when a lane is free and this is the oldest request that may start a
     * statement: has someone take that lane.
     */
    abstract void wakeRunner();

    /** Called once its statement has ended and freed its lane, outside the lock, on the thread that ran it. */
    abstract void served();

    static boolean allDone(List<? extends Pending<?, ?>> requests) {
        for (Pending<?, ?> p : requests) {
            if (!p.done) {
                return false;
            }
        }
        return true;
    }

    /** The outcomes of done requests, in order; the first error, if any, is thrown. */
    static <O> List<O> outcomes(List<? extends Pending<?, O>> done) {
        Object[] outcomes = new Object[done.size()];
        for (int i = 0; i < outcomes.length; i++) {
            Throwable error = done.get(i).error;
            if (error instanceof RuntimeException e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            outcomes[i] = done.get(i).outcome;
        }
        @SuppressWarnings("unchecked")
        List<O> answer = (List<O>) Arrays.asList(outcomes);
        return answer;
    }
}
