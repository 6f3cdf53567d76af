package io.crewjvm.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.api.ApiException;
import io.crewjvm.db.NotificationListener;
import io.crewjvm.db.Transactions;
import io.crewjvm.group.GroupService;
import io.crewjvm.task.TaskRepository;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Turns the 'crew_events' notifications of every replica (V13) into events for this replica's clients (its
 * {@link EventAudience}s: SSE streams, socket.io sockets). A notification names what changed; the documents are
 * read here, once per window of notifications, and only for the groups that some client of this replica follows. The window is the notifications that arrive within
 * {@link #WINDOW_MILLIS} of its first: events are for people watching, and a tenth of a second later a busy
 * stream reads each task's document once per window, where it would read it for every statement that changed
 * it. A task's event therefore carries its state when it is read, which may be newer than the change that
 * announced it: a task changed several times in a window gets one event (task:create if it was created in it,
 * task:update otherwise) with its latest document.
 */
@ApplicationScoped
public class EventListener {

    private static final Logger LOG = Logger.getLogger(EventListener.class);
    private static final long WINDOW_MILLIS = 100;

    private record Notice(String event, String group, JsonNode body) {
    }

    private final List<EventAudience> audiences;
    private final TaskRepository tasks;
    private final GroupService groups;
    private final ObjectMapper mapper;
    private final NotificationListener listener;

    EventListener(@All List<EventAudience> audiences, TaskRepository tasks, GroupService groups, ObjectMapper mapper,
                  @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                  @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.audiences = audiences;
        this.tasks = tasks;
        this.groups = groups;
        this.mapper = mapper;
        this.listener = new NotificationListener("crew_events", new NotificationListener.Handler() {
            @Override
            public void listening() {
                // Nothing to catch up on: clients re-read the state when they (re)connect (docs/operations.md).
            }

            @Override
            public void received(PGConnection connection, PGNotification[] first) throws SQLException {
                dispatch(window(connection, first));
            }
        }, url, user, password);
    }

    void start(@Observes StartupEvent event) {
        listener.start("crew-event-listener");
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }

    /** The first notifications and those that follow them within the window. */
    private static List<PGNotification> window(PGConnection pg, PGNotification[] first) throws SQLException {
        List<PGNotification> window = new ArrayList<>(List.of(first));
        long end = System.nanoTime() + WINDOW_MILLIS * 1_000_000;
        for (long left; (left = (end - System.nanoTime()) / 1_000_000) > 0; ) { // 0 would wait without end
            PGNotification[] more = pg.getNotifications((int) left);
            if (more != null) {
                window.addAll(List.of(more));
            }
        }
        return window;
    }

    private void dispatch(List<PGNotification> window) {
        List<Notice> notices = new ArrayList<>();
        Set<String> taskIds = new LinkedHashSet<>();
        for (PGNotification n : window) {
            Notice notice = parse(n.getParameter());
            if (notice == null || !wanted(notice.group())) {
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
            Map<String, String> documents = taskIds.isEmpty() ? Map.of()
                    : Transactions.autocommitRetrying(() -> tasks.documents(taskIds));
            Set<String> sent = new HashSet<>();
            for (Notice notice : notices) {
                publish(notice, documents, sent);
            }
        } catch (RuntimeException e) {
            // A stream misses these events; its client re-reads the state when it reconnects (docs/operations.md).
            LOG.warnf("Events not delivered: %s", e.getMessage());
        }
    }

    /**
     * Publishes one notice's events; sent: the tasks whose event, and the keys whose key event, this window has
     * already published.
     */
    private void publish(Notice notice, Map<String, String> documents, Set<String> sent) {
        JsonNode body = notice.body();
        switch (notice.event()) {
            case "task:create", "task:update" -> body.get("ids").forEach(id -> {
                String document = documents.get(id.asText());
                // Gone: deleted since (its task:delete follows). Sent: its latest document is out already.
                if (document != null && sent.add(id.asText())) {
                    publish(notice.group(), notice.event(), document);
                }
            });
            case "task:key" -> body.get("ids").forEach(id -> {
                String document = documents.get(id.asText());
                if (document != null) {
                    KeyEvents.KeyEvent key = KeyEvents.of(document);
                    if (sent.add(key.dedupe())) { // merged duplicates complete together: Crew sends one event
                        publish(notice.group(), key.event(), key.data());
                    }
                }
            });
            case "task:delete" -> body.get("tasks")
                    .forEach(task -> publish(notice.group(), notice.event(), task.toString()));
            case "group:create", "task_group:update" -> group(notice.group())
                    .ifPresent(group -> publish(notice.group(), notice.event(), group));
            default -> publish(notice.group(), notice.event(), body.path("data").toString());
        }
    }

    private boolean wanted(String group) {
        for (EventAudience audience : audiences) {
            if (audience.wants(group)) {
                return true;
            }
        }
        return false;
    }

    private void publish(String group, String event, String data) {
        for (EventAudience audience : audiences) {
            audience.publish(group, event, data);
        }
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

}
