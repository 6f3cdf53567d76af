package io.crewjvm.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTEN on one PostgreSQL channel, on a connection of its own (outside the pool: it is held for good) and a
 * thread of its own, handing each batch of notifications to a handler. A lost connection is opened again after a
 * second; the handler is told each time listening (re)starts, as notifications sent meanwhile are lost.
 */
public final class NotificationListener {

    /** What to do with the notifications. */
    public interface Handler {
        /** Listening has (re)started: what was announced while nobody listened is lost. */
        void listening();

        /** Notifications that arrived; the connection may be polled for more (see {@link PGConnection}). */
        void received(PGConnection connection, PGNotification[] notifications) throws SQLException;
    }

    private static final Logger LOG = Logger.getLogger(NotificationListener.class);
    private static final int POLL_MILLIS = 500;

    private final String channel;
    private final Handler handler;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread thread;

    public NotificationListener(String channel, Handler handler, String url, Optional<String> user,
                                Optional<String> password) {
        this.channel = channel;
        this.handler = handler;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public void start(String threadName) {
        running = true;
        thread = new Thread(this::listen, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null))) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                handler.listening();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        handler.received(pg, notifications);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("Listener of '%s' lost its connection (%s); reconnecting", channel, e.getMessage());
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
