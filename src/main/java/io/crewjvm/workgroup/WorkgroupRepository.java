package io.crewjvm.workgroup;

import io.crewjvm.db.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Workgroup pauses, stored so that they also hold back tasks created while they last. */
@ApplicationScoped
public class WorkgroupRepository {

    private final Db db;

    WorkgroupRepository(Db db) {
        this.db = db;
    }

    /** Pauses a workgroup for {@code seconds} from now (keeping a longer pause) and holds its runnable tasks. */
    public void hold(String workgroup, int seconds, String reason) {
        db.sql("workgroup/WorkgroupExtendPause").bind("workgroup", workgroup).bind("seconds", seconds)
                .bind("reason", reason).update();
        rehold(workgroup);
    }

    /** Sets a workgroup's pause to exactly {@code until} (null: not paused) and re-holds its runnable tasks. */
    void setPause(String workgroup, Instant until, String reason) {
        db.sql("workgroup/WorkgroupSetPause").bind("workgroup", workgroup).bind("until", until)
                .bind("reason", reason).update();
        rehold(workgroup);
    }

    private void rehold(String workgroup) {
        db.sql("workgroup/WorkgroupRehold").bind("workgroup", workgroup).update();
    }

    /** The documents of the workgroups as a JSON array. */
    String list() {
        return "[" + String.join(",", documents(null)) + "]";
    }

    /** One workgroup, if it is paused or has unfinished tasks. */
    Optional<String> find(String workgroup) {
        return documents(workgroup).stream().findFirst();
    }

    private List<String> documents(String name) {
        return db.sql("workgroup/WorkgroupList").bind("name", name).list(rs -> rs.getString(1));
    }
}
