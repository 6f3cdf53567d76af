package io.crewjvm.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.api.ApiException;
import io.crewjvm.db.Transactions;
import io.crewjvm.group.GroupService;
import io.crewjvm.task.TaskRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Turns the 'crew_events' notifications of every replica (V13) into events on this replica's streams. A
 * notification names what changed; the documents are read here, once per batch of notifications, and only for
 * the groups that some stream of this replica follows. A task's event therefore carries its state when it is
 * read, which may be newer than the change that announced it (two quick updates can show the same document).
 */
@ApplicationScoped
public class EventListener {

    private static final Logger LOG = Logger.getLogger(EventListener.class);
    private static final int POLL_MILLIS = 500;

    private record Notice(String event, String group, JsonNode body) {
    }

    private final EventStreams streams;
    private final TaskRepository tasks;
    private final GroupService groups;
    private final ObjectMapper mapper;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread thread;

    EventListener(EventStreams streams, TaskRepository tasks, GroupService groups, ObjectMapper mapper,
                  @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                  @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.streams = streams;
        this.tasks = tasks;
        this.groups = groups;
        this.mapper = mapper;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::listen, "crew-event-listener");
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
                    s.execute("LISTEN crew_events");
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
                    if (batch != null && batch.length > 0) {
                        dispatch(batch);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("Event listener lost its connection (%s); reconnecting", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void dispatch(PGNotification[] batch) {
        List<Notice> notices = new ArrayList<>();
        Set<String> taskIds = new LinkedHashSet<>();
        for (PGNotification n : batch) {
            Notice notice = parse(n.getParameter());
            if (notice == null || !streams.wanted(notice.group())) {
                continue;
            }
            notices.add(notice);
            if (notice.body().has("ids")) {
                notice.body().get("ids").forEach(id -> taskIds.add(id.asText()));
            }
        }
        if (notices.isEmpty()) {
            return;
        }
        try {
            Map<String, String> documents = taskDocuments(taskIds);
            for (Notice notice : notices) {
                publish(notice, documents);
            }
        } catch (RuntimeException e) {
            // A stream misses these events; its client re-reads the state when it reconnects (docs/operations.md).
            LOG.warnf("Events not delivered: %s", e.getMessage());
        }
    }

    private void publish(Notice notice, Map<String, String> documents) {
        JsonNode body = notice.body();
        switch (notice.event()) {
            case "task:create", "task:update" -> body.get("ids").forEach(id -> {
                String document = documents.get(id.asText());
                if (document != null) { // deleted since
                    streams.publish(notice.group(), notice.event(), document);
                }
            });
            case "task:delete" -> body.get("tasks")
                    .forEach(task -> streams.publish(notice.group(), notice.event(), task.toString()));
            case "group:create", "task_group:update" -> group(notice.group())
                    .ifPresent(group -> streams.publish(notice.group(), notice.event(), group));
            default -> streams.publish(notice.group(), notice.event(), body.path("data").toString());
        }
    }

    private Map<String, String> taskDocuments(Set<String> ids) {
        Map<String, String> documents = new HashMap<>();
        if (ids.isEmpty()) {
            return documents;
        }
        String array = Transactions.autocommitRetrying(() -> tasks.json(ids));
        try {
            for (JsonNode task : mapper.readTree(array)) {
                documents.put(task.path("_id").asText(), task.toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable task documents", e);
        }
        return documents;
    }

    private Optional<String> group(String id) {
        try {
            return Optional.of(mapper.writeValueAsString(Transactions.retrying(() -> groups.get(id))));
        } catch (ApiException e) {
            return Optional.empty(); // deleted since: its group:delete follows
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Notice parse(String payload) {
        try {
            JsonNode body = mapper.readTree(payload);
            JsonNode group = body.get("group");
            return new Notice(body.path("event").asText(), group == null || group.isNull() ? null : group.asText(),
                    body);
        } catch (IOException e) {
            LOG.warnf("Unreadable event notification: %s", payload);
            return null;
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
