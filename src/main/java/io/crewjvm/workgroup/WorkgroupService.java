package io.crewjvm.workgroup;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Limits;
import io.crewjvm.db.RetryTransient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

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

    /** Body {@code {until}} (ISO-8601 or epoch ms) or {@code {seconds}}, and an optional {@code reason}. */
    @Transactional
    @RetryTransient
    public String pause(String name, Body body) {
        IndexedText.check("workgroup", name);
        Instant until = body.time("until");
        Integer seconds = body.integer("seconds", 1, Limits.MAX_DELAY_SECONDS);
        String reason = body.string("reason");
        if ((until == null) == (seconds == null)) {
            throw ApiException.badRequest("Give either until (a date-time) or seconds (1 to " + Limits.MAX_DELAY_SECONDS
                    + ")");
        }
        if (seconds != null) {
            workgroups.hold(name, seconds, reason);
        } else {
            workgroups.setPause(name, until, reason);
        }
        return get(name);
    }

    @Transactional
    @RetryTransient
    public String resume(String name) {
        get(name);
        workgroups.setPause(name, null, null);
        return get(name);
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Workgroup " + name + " not found: it is not paused and has no unfinished tasks");
    }
}
