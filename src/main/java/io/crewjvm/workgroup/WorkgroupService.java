package io.crewjvm.workgroup;

import io.crewjvm.api.ApiException;
import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

/** Operator controls of workgroups: see them, pause them until a time or for a while, resume them now. */
@ApplicationScoped
public class WorkgroupService {

    private final WorkgroupRepository workgroups;

    WorkgroupService(WorkgroupRepository workgroups) {
        this.workgroups = workgroups;
    }

    public String list() {
        return workgroups.list();
    }

    public String get(String name) {
        return workgroups.find(name).orElseThrow(() -> notFound(name));
    }

    /** Holds the workgroup's tasks for {@code seconds}, or until a time. */
    public String pause(String name, PauseWorkgroup pause) {
        return Transactions.retrying(() -> {
            if (pause.seconds() != null) {
                workgroups.hold(name, pause.seconds(), pause.reason());
            } else {
                workgroups.setPause(name, pause.until(), pause.reason());
            }
            return get(name);
        });
    }

    public String resume(String name) {
        return Transactions.retrying(() -> {
            get(name);
            workgroups.setPause(name, null, null);
            return get(name);
        });
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Workgroup " + name + " not found: it is not paused and has no unfinished tasks");
    }
}
