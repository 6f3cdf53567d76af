package io.crewjvm.worker;

import io.crewjvm.db.NotificationListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One LISTEN connection per instance: turns the database's 'crew_ready' notifications into wake-ups of the
 * long-polling acquirers of that channel, one waiter per notification. When the
 * connection breaks it reconnects; waiters meanwhile fall back on their periodic re-check.
 */
@ApplicationScoped
public class ReadyListener {

    private final NotificationListener listener;

    ReadyListener(Waiters waiters,
                  @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                  @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.listener = new NotificationListener("crew_ready", new NotificationListener.Handler() {
            @Override
            public void listening() {
                waiters.wakeAll(); // anything that became ready while nobody listened
            }

            @Override
            public void received(PGConnection connection, PGNotification[] notifications) {
                Map<String, Integer> perChannel = new HashMap<>();
                for (PGNotification n : notifications) {
                    perChannel.merge(n.getParameter(), 1, Integer::sum);
                }
                perChannel.forEach(waiters::wake);
            }
        }, url, user, password);
    }

    void start(@Observes StartupEvent event) {
        listener.start("crew-ready-listener");
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }
}
