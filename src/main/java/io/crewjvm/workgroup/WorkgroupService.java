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

    /** Sets a workgroup's cap, budget and parent; a parent must be known and must not be below it. */
    public String setLimits(String name, WorkgroupLimits limits) {
        return Transactions.retrying(() -> {
            if (limits.setsParent() && limits.parent() != null) {
                if (!workgroups.ensure(limits.parent())) {
                    throw ApiException.badRequest("Unknown parent workgroup " + limits.parent()
                            + ": give it limits first, or create tasks in it");
                }
                if (workgroups.inChain(name, limits.parent())) {
                    throw ApiException.badRequest("Workgroup " + limits.parent() + " is " + name
                            + " or below it: a parent would close a cycle");
                }
            }
            workgroups.setLimits(name, limits);
            return get(name);
        });
    }

    /** A channel's settings: its acquire order across workgroups. */
    public String channel(String channel) {
        return workgroups.channel(channel);
    }

    /** Sets a channel's fairness ({@code workgroup} or {@code none}) and moves its tasks to the path it asks for. */
    public String setFairness(String channel, String fairness) {
        return Transactions.retrying(() -> {
            workgroups.setFairness(channel, fairness);
            return workgroups.channel(channel);
        });
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Workgroup " + name + " not found: it is not paused and has no unfinished tasks");
    }
}
