package io.crewjvm.events;

import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Tells every replica's triggers whether to announce changes: a row of event_listener per replica that has a
 * stream open, refreshed well before it expires. A replica that dies stops refreshing it, so announcing stops by
 * itself {@value #TTL_SECONDS} seconds later; with no stream open anywhere, the hot statements send nothing.
 */
@ApplicationScoped
public class EventPresence {

    private static final Logger LOG = Logger.getLogger(EventPresence.class);
    static final int TTL_SECONDS = 30;

    private final Db db;
    private final String instance = UUID.randomUUID().toString();
    private volatile IntSupplier streams = () -> 0;

    EventPresence(Db db) {
        this.db = db;
    }

    /** Where the number of open streams comes from (set once by {@link EventStreams}). */
    void countStreamsWith(IntSupplier streams) {
        this.streams = streams;
    }

    /** A stream opened: announcing starts (or goes on) before the stream is told it is connected. */
    void present() {
        Transactions.autocommitRetrying(() -> db.sql("events/EventListenerPresent").bind("instance", instance)
                .bind("ttlSeconds", TTL_SECONDS).update());
    }

    /** The last stream of this replica closed. */
    void gone() {
        Transactions.autocommitRetrying(() -> db.sql("events/EventListenerGone").bind("instance", instance)
                .update());
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        if (streams.getAsInt() == 0) {
            return;
        }
        try {
            present();
        } catch (RuntimeException e) {
            LOG.warnf("Could not refresh the event listener row (%s); events may pause until it is back",
                    e.getMessage());
        }
    }
}
