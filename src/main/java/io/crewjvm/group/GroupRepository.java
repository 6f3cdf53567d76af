package io.crewjvm.group;

import io.crewjvm.db.Db;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Task groups: entity CRUD through Panache, task statistics and completion through named SQL. */
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
        db.sql("group/GroupTaskCounts").bind("ids", groupIds.toArray(String[]::new)).list(rs -> {
            byState.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
            weights.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getDouble(4));
            return null;
        });
        Map<String, TaskCounts> result = new HashMap<>();
        byState.forEach((id, states) -> result.put(id, TaskCounts.of(states, weights.get(id))));
        return result;
    }

    /**
     * The groups among these whose every task is complete or running: their completion may be due. Asked after
     * the caller's completions committed, with a fresh snapshot: a check made inside the completing statement
     * could still see a task as ready that another worker has since acquired and completed.
     */
    public List<String> withoutIdleWork(Collection<String> groupIds) {
        return groupIds.stream().sorted().distinct()
                .filter(id -> !db.sql("group/GroupHasIdleTask").bind("id", id).one(rs -> rs.getBoolean(1)).orElse(true))
                .toList();
    }

    /** Records the completion of each group whose tasks are now all complete (called after releases). */
    public void markCompleteIfDone(Collection<String> groupIds) {
        for (String id : withoutIdleWork(groupIds)) {
            // Only leased tasks remain: their releases may be committing right now. Take turns on the group
            // row so that the last of them sees the others' completions.
            db.sql("group/GroupLock").bind("id", id).list(rs -> null);
            db.sql("group/GroupMarkComplete").bind("id", id).update();
        }
    }

    public void reopen(Collection<String> groupIds) {
        db.sql("group/GroupReopen").bind("ids", groupIds.toArray(String[]::new)).update();
    }
}
