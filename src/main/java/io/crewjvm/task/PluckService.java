package io.crewjvm.task;

import io.crewjvm.api.Ids;
import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

/** Pluck: a copy of a task, alone in a new paused group, to run or debug it in isolation (as Crew does). */
@ApplicationScoped
public class PluckService {

    private final TaskRepository tasks;
    private final Db db;

    PluckService(TaskRepository tasks, Db db) {
        this.tasks = tasks;
        this.db = db;
    }

    public String pluck(String id) {
        return Transactions.retrying(() -> {
            tasks.lock(id).orElseThrow(() -> TaskService.taskNotFound(id));
            String copy = Ids.newId();
            db.sql("task/TaskPluck").bind("id", id).bind("copyId", copy).bind("groupId", Ids.newId()).update();
            return tasks.json(copy).orElseThrow();
        });
    }
}
