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

    /** Sets the limits of a workgroup (creating its row) and moves its tasks and those below to the right path. */
    void setLimits(String workgroup, WorkgroupLimits limits) {
        WorkgroupLimits.Rate rate = limits.rate();
        db.sql("workgroup/WorkgroupSetLimits").bind("name", workgroup)
                .bind("setMaxRunning", limits.setsMaxRunning()).bind("maxRunning", limits.maxRunning())
                .bind("setRate", limits.setsRate())
                .bind("rateLimit", rate == null ? null : rate.limit())
                .bind("ratePeriodSeconds", rate == null ? null : rate.periodSeconds())
                .bind("rateBurst", rate == null ? null : rate.burst())
                .bind("setParent", limits.setsParent()).bind("parent", limits.parent())
                .update();
        db.sql("workgroup/WorkgroupRethrottle").bind("name", workgroup).update();
    }

    /** Whether a workgroup is known (a row, or unfinished tasks); a known one gets a row if it had none. */
    boolean ensure(String workgroup) {
        return db.sql("workgroup/WorkgroupEnsure").bind("name", workgroup).one(rs -> rs.getBoolean(1)).orElseThrow();
    }

    /** Whether {@code workgroup} is {@code parent} or one of its ancestors. */
    boolean inChain(String workgroup, String parent) {
        return db.sql("workgroup/WorkgroupInChain").bind("name", workgroup).bind("parent", parent)
                .one(rs -> rs.getBoolean(1)).orElseThrow();
    }

    /**
     * Lowers a throttled workgroup's bucket to what the API reported; false when the workgroup has no caps or budget
     * on its chain (its tasks do not pass through the bucket).
     */
    public boolean reportBudget(String workgroup, BudgetReport report) {
        return !db.sql("workgroup/WorkgroupReportBudget").bind("name", workgroup)
                .bind("remaining", report.remaining()).bind("resetInSeconds", report.resetInSeconds())
                .list(rs -> rs.getBoolean(1)).isEmpty();
    }

    void setFairness(String channel, String fairness) {
        db.sql("workgroup/ChannelSetFairness").bind("channel", channel).bind("fairness", fairness).update();
        db.sql("workgroup/ChannelRethrottle").bind("channel", channel).update();
    }

    String channel(String channel) {
        return db.sql("workgroup/ChannelGet").bind("channel", channel).text().orElseThrow();
    }

    /** Holds or frees the runnable tasks of a workgroup and of those below it, whose pause just changed. */
    private void rehold(String workgroup) {
        List<String> below = db.sql("workgroup/WorkgroupBelow").bind("workgroup", workgroup)
                .list(rs -> rs.getString(1));
        for (String name : below) {
            db.sql("workgroup/WorkgroupRehold").bind("workgroup", name).update();
        }
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
