package io.crewjvm.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One LISTEN connection per instance: turns the database's 'crew_ready' notifications into wake-ups of the
 * long-polling acquirers of that channel, one waiter per notification. When the
 * connection breaks it reconnects; waiters meanwhile fall back on their periodic re-check.
 */
@ApplicationScoped
public class ReadyListener {

    private static final Logger LOG = Logger.getLogger(ReadyListener.class);
    private static final int POLL_MILLIS = 500;

    private final Waiters waiters;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread thread;

    ReadyListener(Waiters waiters,
                  @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                  @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.waiters = waiters;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::listen, "crew-ready-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null))) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN crew_ready");
                }
                waiters.wakeAll(); // anything that became ready while we were not listening
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        Map<String, Integer> perChannel = new HashMap<>();
                        for (PGNotification n : notifications) {
                            perChannel.merge(n.getParameter(), 1, Integer::sum);
                        }
                        perChannel.forEach(waiters::wake);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("Ready-notification listener lost its connection (%s); reconnecting", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
