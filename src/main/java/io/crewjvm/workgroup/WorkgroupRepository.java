package io.crewjvm.workgroup;

import io.crewjvm.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

/** Workgroup pauses, stored so that they also hold back tasks created while they last. */
@ApplicationScoped
public class WorkgroupRepository {

    private final Db db;

    WorkgroupRepository(Db db) {
        this.db = db;
    }

    /** Pauses a workgroup for {@code seconds} from now (keeping a longer pause) and holds its runnable tasks. */
    public void hold(String workgroup, int seconds, String reason) {
        db.sql("workgroup/WorkgroupHold").bind("workgroup", workgroup).bind("seconds", seconds)
                .bind("reason", reason).update();
    }
}
