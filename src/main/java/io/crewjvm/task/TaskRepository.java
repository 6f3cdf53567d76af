package io.crewjvm.task;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.crewjvm.api.Paging;
import io.crewjvm.db.Db;
import io.crewjvm.db.Query;
import io.crewjvm.db.Query.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The task table, through the named statements in {@code sql/task/}. */
@ApplicationScoped
public class TaskRepository {

    private final Db db;

    TaskRepository(Db db) {
        this.db = db;
    }

    public Optional<String> json(String id) {
        return db.sql("task/TaskGet").bind("id", id).text();
    }

    public String json(Collection<String> ids) {
        return jsonArray(db.sql("task/TaskGetMany").bind("ids", array(ids)));
    }

    /** The documents of the tasks that exist among ids, by id. */
    public Map<String, String> documents(Collection<String> ids) {
        Map<String, String> documents = new HashMap<>();
        db.sql("task/TaskDocuments").bind("ids", array(ids)).list(rs -> documents.put(rs.getString(1),
                rs.getString(2)));
        return documents;
    }

    public String listInGroup(String groupId, Paging paging) {
        return jsonArray(db.sql("task/TaskListInGroup").bind("groupId", groupId).bind("limit", paging.limit())
                .bind("skip", paging.skip()));
    }

    /** The group's DAG (TaskGraphInGroup), empty when there is no such group. */
    public Optional<String> graphInGroup(String groupId, int limit) {
        return db.sql("task/TaskGraphInGroup").bind("groupId", groupId).bind("limit", limit).text();
    }

    public String listInChannel(String channel, Paging paging) {
        return jsonArray(db.sql("task/TaskListInChannel").bind("channel", channel).bind("limit", paging.limit())
                .bind("skip", paging.skip()));
    }

    public String attempts(String id) {
        return db.sql("task/TaskAttempts").bind("id", id).text().orElse("[]");
    }

    public String channels() {
        return db.sql("task/ChannelList").text().orElse("[]");
    }

    public Optional<LockedTask> lock(String id) {
        return db.sql("task/TaskLock").bind("id", id).one(rs -> new LockedTask(rs.getString("id"),
                rs.getString("group_id"), TaskState.valueOf(rs.getString("state")), rs.getString("assigned_to"),
                rs.getInt("attempt"), rs.getString("key"), rs.getString("channel"), rs.getString("workgroup"),
                rs.getInt("remaining_attempts"), rs.getBoolean("overdue")));
    }

    /**
     * Locks the existing parents of tasks about to be created (id order), each running one with a new row version
     * so that a common release already under way takes the general path (TaskLockParents); the state of each found.
     * Throws {@link ParentStartedMeanwhile} when a parent was leased between the statement's read and its lock.
     */
    public Map<String, TaskState> lockParents(Collection<String> ids) {
        Map<String, TaskState> states = new HashMap<>();
        List<String> started = new ArrayList<>();
        if (!ids.isEmpty()) {
            db.sql("task/TaskLockParents").bind("ids", array(ids)).list(rs -> {
                if (rs.getBoolean(3)) {
                    started.add(rs.getString(1));
                }
                return states.put(rs.getString(1), TaskState.valueOf(rs.getString(2)));
            });
        }
        if (!started.isEmpty()) {
            throw new ParentStartedMeanwhile(started.get(0));
        }
        return states;
    }

    /**
     * Inserts tasks into a group with their parent edges; {@code delaySeconds} delays those without runAfter.
     * False, inserting nothing, when the group does not exist.
     */
    public boolean insert(String groupId, List<NewTask> tasks, int delaySeconds) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        tasks.forEach(t -> rows.add(t.toRow(groupId)));
        Json json = new Json(rows.toString());
        int inserted = db.sql("task/TaskInsert").bind("tasks", json).bind("delaySeconds", delaySeconds)
                .bind("documents", false).list(rs -> rs.getString(1)).size();
        if (inserted > 0 && tasks.stream().anyMatch(t -> !t.parentIds().isEmpty())) {
            db.sql("task/TaskEdgeInsert").bind("tasks", json).update();
        }
        return inserted > 0;
    }

    /**
     * Inserts tasks without parents, each into its own group, in one statement; the document of each task
     * inserted, by id (a task of a group that does not exist is not inserted).
     */
    public Map<String, String> insertRoots(List<Creation> creations) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        creations.forEach(c -> rows.add(c.task().toRow(c.groupId())));
        Map<String, String> documents = new HashMap<>();
        db.sql("task/TaskInsert").bind("tasks", new Json(rows.toString())).bind("delaySeconds", 0)
                .bind("documents", true).list(rs -> documents.put(rs.getString(1), rs.getString(2)));
        return documents;
    }

    /** A task to create without parents in a group. */
    public record Creation(String groupId, NewTask task) {
    }

    /** Replaces a task's parents with the given distinct ids, in their order (TaskEdgeReplace). */
    public void replaceParents(String id, List<String> parentIds) {
        db.sql("task/TaskEdgeReplace").bind("id", id).bind("parentIds", array(parentIds)).update();
    }

    /**
     * Locks the parents of a task whose parents change (id order) and gives each row a new version, so that a
     * common release already under way takes the general path (TaskLockParentsForChange); the state of each found.
     */
    public Map<String, TaskState> lockParentsForChange(Collection<String> ids) {
        Map<String, TaskState> states = new HashMap<>();
        if (!ids.isEmpty()) {
            db.sql("task/TaskLockParentsForChange").bind("ids", array(ids)).list(rs ->
                    states.put(rs.getString(1), TaskState.valueOf(rs.getString(2))));
        }
        return states;
    }

    /** A task's parents, in their order. */
    public List<String> parentIds(String id) {
        return db.sql("task/TaskParentIds").bind("id", id).list(rs -> rs.getString(1));
    }

    /** Waits for any other change that gives tasks new parents to commit (TaskParentsChangeLock). */
    public void lockParentsChange() {
        db.sql("task/TaskParentsChangeLock").text();
    }

    /** Whether a task other than {@code id} is running with this channel and duplicate key. */
    public boolean keyRunningElsewhere(String id, String channel, String key) {
        return db.sql("task/TaskKeyRunningElsewhere").bind("id", id).bind("channel", channel).bind("key", key)
                .one(rs -> rs.getBoolean(1)).orElse(false);
    }

    /** Whether any of the candidates is the task itself or below it. */
    public boolean isSelfOrDescendant(String id, Collection<String> candidates) {
        return db.sql("task/TaskIsAncestor").bind("id", id).bind("candidates", array(candidates))
                .one(rs -> rs.getBoolean(1)).orElse(false);
    }

    /** Applies a PUT; {@code attemptsApply} is false when the new attempts revive a failed task instead. */
    public void update(TaskPatch patch, boolean attemptsApply) {
        patch.bindTo(db.sql("task/TaskUpdate"), attemptsApply).update();
    }

    /**
     * Gives failed and cancelled tasks attempts again and puts them back in line, with the tasks cancelled below a
     * cancelled one; returns the ids revived.
     */
    public List<String> revive(Collection<String> ids, int attempts) {
        return db.sql("task/TaskRevive").bind("ids", array(ids)).bind("attempts", attempts)
                .list(rs -> rs.getString(1));
    }

    /** Recounts open parents; locks first, so the count sees every change committed by an earlier lock holder. */
    public void recount(Collection<String> ids) {
        db.sql("task/TaskLockMany").bind("ids", array(ids)).list(rs -> rs.getString(1));
        db.sql("task/TaskRecount").bind("ids", array(ids)).update();
    }

    /** Blocks the waiting tasks below a failed, blocked or cancelled parent (TaskBlock); the ids it blocked. */
    public List<String> block(Collection<String> ids) {
        return db.sql("task/TaskBlock").bind("ids", array(ids)).list(rs -> rs.getString(1));
    }

    /** Cancels the unfinished tasks among {@code ids} and below them (TaskCancel); the ids it cancelled. */
    public List<String> cancel(Collection<String> ids) {
        return db.sql("task/TaskCancel").bind("ids", array(ids)).list(rs -> rs.getString(1));
    }

    /** The children of the given tasks that run when their parents are done and have not started. */
    public List<String> parentsDoneChildIds(Collection<String> ids) {
        return db.sql("task/TaskParentsDoneChildIds").bind("ids", array(ids)).list(rs -> rs.getString(1));
    }

    public List<String> unblockBelow(Collection<String> ids) {
        return db.sql("task/TaskUnblock").bind("ids", array(ids)).list(rs -> rs.getString(1));
    }

    public List<String> childIds(Collection<String> ids) {
        return db.sql("task/TaskChildIds").bind("ids", array(ids)).list(rs -> rs.getString(1));
    }

    public List<String> selfAndDescendantIds(String id) {
        return db.sql("task/TaskDescendantIds").bind("id", id).list(rs -> rs.getString(1));
    }

    public void delete(Collection<String> ids) {
        db.sql("task/TaskDelete").bind("ids", array(ids)).update();
    }

    /** Back to the initial state with {@code attempts} attempts (see TaskReset.sql). */
    public void reset(Collection<String> ids, int attempts) {
        db.sql("task/TaskReset").bind("ids", array(ids)).bind("attempts", attempts).update();
    }

    public void setAttempts(String id, int attempts) {
        db.sql("task/TaskSetAttempts").bind("id", id).bind("attempts", attempts).update();
    }

    /** A group's task ids: all, or only those a retry revives (failed or cancelled), or only the non-seeds. */
    public List<String> idsInGroup(String groupId, boolean revivableOnly, boolean nonSeedOnly) {
        return db.sql("task/TaskIdsInGroup").bind("groupId", groupId).bind("revivableOnly", revivableOnly)
                .bind("nonSeedOnly", nonSeedOnly).list(rs -> rs.getString(1));
    }

    public boolean groupHasSeed(String groupId) {
        return db.sql("task/TaskGroupHasSeed").bind("groupId", groupId).one(rs -> rs.getBoolean(1)).orElse(false);
    }

    public void setPausedInGroup(String groupId, boolean paused) {
        db.sql("task/TaskSetPausedInGroup").bind("groupId", groupId).bind("paused", paused).update();
    }

    static String[] array(Collection<String> ids) {
        return ids.toArray(String[]::new);
    }

    /** The JSON array of the documents a statement returns, one per row, in its order. */
    private static String jsonArray(Query documents) {
        return "[" + String.join(",", documents.list(rs -> rs.getString(1))) + "]";
    }
}
