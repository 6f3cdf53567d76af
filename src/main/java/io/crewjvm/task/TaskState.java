package io.crewjvm.task;

/** The states of a task, as the database's task_state enum defines them. */
public enum TaskState {
    waiting, scheduled, ready, running, complete, failed, blocked, cancelled
}
