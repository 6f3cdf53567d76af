package io.crewjvm.group;

import io.crewjvm.db.Db;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Task groups: entity CRUD through Panache, task statistics through named SQL. */
@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<TaskGroup, String> {

    private final Db db;

    GroupRepository(Db db) {
        this.db = db;
    }

    public List<TaskGroup> page(Integer limit, int skip) {
        var query = findAll(Sort.descending("createdAt", "id"));
        if (limit == null) {
            return query.list().stream().skip(skip).toList();
        }
        if (skip % limit == 0) {
            return query.page(Page.of(skip / limit, limit)).list();
        }
        return query.range(skip, skip + limit - 1).list();
    }

    public Map<String, TaskCounts> counts(Collection<String> groupIds) {
        Map<String, Map<String, Integer>> byState = new HashMap<>();
        Map<String, Map<String, Double>> weights = new HashMap<>();
        Map<String, Instant> lastCompleted = new HashMap<>();
        db.sql("group/GroupTaskCounts").bind("ids", groupIds.toArray(String[]::new)).list(rs -> {
            String group = rs.getString(1);
            byState.computeIfAbsent(group, k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
            weights.computeIfAbsent(group, k -> new HashMap<>()).put(rs.getString(2), rs.getDouble(4));
            OffsetDateTime completedAt = rs.getObject(5, OffsetDateTime.class);
            if (completedAt != null) {
                lastCompleted.put(group, completedAt.toInstant());
            }
            return null;
        });
        Map<String, TaskCounts> result = new HashMap<>();
        byState.forEach((id, states) -> result.put(id, TaskCounts.of(states, weights.get(id), lastCompleted.get(id))));
        return result;
    }

    /** Crew's events that no row change announces (group:reset, group:retry), sent only while someone listens. */
    public void announce(String event, String groupId) {
        db.sql("group/GroupAnnounce").bind("event", event).bind("id", groupId).list(rs -> null);
    }
}
