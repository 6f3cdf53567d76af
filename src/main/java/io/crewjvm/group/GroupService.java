package io.crewjvm.group;

import io.crewjvm.api.Ids;
import io.crewjvm.api.Paging;
import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.crewjvm.task.ResetCommand;
import io.crewjvm.task.RetryCommand;
import io.crewjvm.task.TaskGraph;
import io.crewjvm.task.TaskRepository;
import io.crewjvm.task.TaskService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Task group CRUD; each group is shown with its task counts, status and progress. */
@ApplicationScoped
public class GroupService {

    static final int DEFAULT_RESET_ATTEMPTS = 5;
    static final int DEFAULT_RETRY_ATTEMPTS = 2;

    private final GroupRepository groups;
    private final TaskRepository tasks;
    private final TaskGraph graph;
    private final Db db;

    GroupService(GroupRepository groups, TaskRepository tasks, TaskGraph graph, Db db) {
        this.groups = groups;
        this.tasks = tasks;
        this.graph = graph;
        this.db = db;
    }

    public List<GroupView> list(Paging paging) {
        List<TaskGroup> page = groups.page(paging.limit(), paging.skip());
        Map<String, TaskCounts> counts = groups.counts(page.stream().map(g -> g.id).toList());
        return page.stream().map(g -> GroupView.of(g, counts.getOrDefault(g.id, TaskCounts.NONE))).toList();
    }

    public long count() {
        return groups.count();
    }

    public GroupView get(String id) {
        return view(find(id));
    }

    TaskGroup find(String id) {
        TaskGroup group = groups.findById(id);
        if (group == null) {
            throw TaskService.groupNotFound(id);
        }
        return group;
    }

    GroupView view(TaskGroup group) {
        return GroupView.of(group, groups.counts(List.of(group.id)).getOrDefault(group.id, TaskCounts.NONE));
    }

    public GroupView create(NewGroup request) {
        return Transactions.retrying(() -> {
            TaskGroup group = new TaskGroup();
            group.id = Ids.newId();
            group.name = request.name();
            group.paused = request.paused();
            groups.persistAndFlush(group);
            return view(group);
        });
    }

    /** Renames a group; Crew's other writable fields (arbitrary keys) are ignored. */
    public GroupView update(String id, GroupRename rename) {
        return Transactions.retrying(() -> {
            TaskGroup group = find(id);
            if (rename.setsName()) {
                group.name = rename.name();
            }
            groups.flush();
            return view(group);
        });
    }

    /** Pause or resume: paused tasks are not acquired; leased ones may still be released; new ones start paused. */
    public GroupView setPaused(String id, boolean paused) {
        return Transactions.retrying(() -> {
            TaskGroup group = find(id);
            group.paused = paused;
            groups.flush();
            tasks.setPausedInGroup(id, paused);
            return view(group);
        });
    }

    /**
     * Starts the group over: when it has seed tasks every other task is deleted; the remaining tasks return to
     * their initial state with {@code remainingAttempts} (default 5) and tasks depending on them are recounted.
     */
    public GroupView reset(String id, ResetCommand reset) {
        return Transactions.retrying(() -> {
            int attempts = reset.attempts();
            TaskGroup group = find(id);
            if (tasks.groupHasSeed(id)) {
                List<String> doomed = tasks.idsInGroup(id, false, true);
                List<String> orphans = tasks.childIds(doomed);
                tasks.delete(doomed);
                orphans.removeAll(doomed);
                graph.settle(orphans);
            }
            graph.reset(tasks.idsInGroup(id, false, false), attempts);
            groups.announce("group:reset", id);
            return view(group);
        });
    }

    /**
     * Gives the group's failed and cancelled tasks {@code remainingAttempts} (default 2) again; what they blocked
     * waits again.
     */
    public GroupView retry(String id, RetryCommand retry) {
        return Transactions.retrying(() -> {
            int attempts = retry.attempts();
            TaskGroup group = find(id);
            graph.revive(tasks.idsInGroup(id, true, false), attempts);
            groups.announce("group:retry", id);
            return view(group);
        });
    }

    /**
     * Cancels every unfinished task of the group, and the unfinished tasks below them in other groups: running
     * attempts lose their lease at once.
     */
    public GroupView cancel(String id) {
        return Transactions.retrying(() -> {
            TaskGroup group = find(id);
            graph.cancel(tasks.idsInGroup(id, false, false));
            return view(group);
        });
    }

    /** Deletes a group and its tasks; tasks of other groups that depended on them are recounted. */
    public void delete(String id) {
        Transactions.retrying(() -> {
            find(id);
            List<String> survivors = db.sql("group/GroupChildrenOutside").bind("id", id).list(rs -> rs.getString(1));
            groups.getEntityManager().clear();
            db.sql("group/GroupDelete").bind("id", id).update();
            graph.settle(survivors);
        });
    }
}
