package io.crewjvm.db;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Requests to a {@link Combiner} from threads that wait for them. The calling thread runs statements itself while
 * lanes are free; otherwise it sleeps until its requests are done, or until it is the one to run the next statement.
 * Wake-ups are targeted, and direct: under load dozens of threads wait; the runner unparks the owners of the
 * requests it served, and they return without taking the combiner's lock again, where waking them through a
 * condition of the lock made them take it one after another, each woken only once the previous one had run.
 *
 * @param <R> a request
 * @param <O> its outcome
 */
public final class BlockingSubmitter<R, O> {

    private final Combiner<R, O> combiner;

    public BlockingSubmitter(Combiner<R, O> combiner) {
        this.combiner = combiner;
    }

    public O submit(R request) {
        return submitAll(List.of(request)).get(0);
    }

    /** Serves requests, alone or with others; their outcomes in order (the first error, if any, is thrown). */
    public List<O> submitAll(List<R> requests) {
        Thread me = Thread.currentThread();
        List<Parked<R, O>> mine = requests.stream().map(r -> new Parked<R, O>(r, me)).toList();
        BooleanSupplier allDone = () -> Pending.allDone(mine);
        combiner.enqueue(mine);
        while (!allDone.getAsBoolean()) {
            // Done is checked again under the lock, before this thread takes a batch: a park on the way here (for
            // the lock, or in a statement this thread ran) may have used up the wake-up that told it so. A wake-up
            // given after that check makes park return at once.
            if (!combiner.runNextBatch(allDone) && !allDone.getAsBoolean()) {
                LockSupport.park(this);
            }
        }
        return Pending.outcomes(mine);
    }

    /** A request whose thread is parked until it is done, or may run the next statement. */
    private static final class Parked<R, O> extends Pending<R, O> {

        private final Thread owner;

        Parked(R request, Thread owner) {
            super(request);
            this.owner = owner;
        }

        @Override
        void wakeRunner() {
            wakeOwner();
        }

        @Override
        void served() {
            wakeOwner();
        }

        /** Unless the owner is the thread calling, which is awake, and would only find the wake-up in a later park. */
        private void wakeOwner() {
            if (owner != Thread.currentThread()) {
                LockSupport.unpark(owner);
            }
        }
    }
}
