package io.crewjvm.events;

import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Tells every replica's triggers whether to announce changes: a row of event_listener per replica that has a
 * client following events (an SSE stream, a socket.io watcher), refreshed well before it expires. A replica that
 * dies stops refreshing it, so announcing stops by itself {@value #TTL_SECONDS} seconds later; with no client
 * anywhere, the hot statements send nothing. An audience counts its new client before it calls {@link #present()}
 * and its departed one before {@link #goneIfIdle()}; the two run one at a time, so the row is never deleted while
 * a client that asked for it is counted.
 */
@ApplicationScoped
public class EventPresence {

    private static final Logger LOG = Logger.getLogger(EventPresence.class);
    static final int TTL_SECONDS = 30;

    private final Db db;
    private final String instance = UUID.randomUUID().toString();
    private final List<IntSupplier> audiences = new CopyOnWriteArrayList<>();

    EventPresence(Db db) {
        this.db = db;
    }

    /** Adds an audience whose clients count (each audience registers once). */
    public void countClientsOf(IntSupplier audience) {
        audiences.add(audience);
    }

    private int clients() {
        return audiences.stream().mapToInt(IntSupplier::getAsInt).sum();
    }

    /** A client came: announcing starts (or goes on) before the client is told it is subscribed. */
    public synchronized void present() {
        Transactions.autocommitRetrying(() -> db.sql("events/EventListenerPresent").bind("instance", instance)
                .bind("ttlSeconds", TTL_SECONDS).update());
    }

    /** A client left: announcing stops if it was the last one of this replica. */
    public synchronized void goneIfIdle() {
        if (clients() > 0) {
            return;
        }
        Transactions.autocommitRetrying(() -> db.sql("events/EventListenerGone").bind("instance", instance)
                .update());
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        if (clients() == 0) {
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
