package io.crewjvm.schedule;

import io.crewjvm.db.Db;
import io.crewjvm.db.Query;
import io.crewjvm.db.Query.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** The schedule and schedule_run tables, through the named statements in {@code sql/schedule/}. */
@ApplicationScoped
public class ScheduleRepository {

    /** A schedule locked for firing or changing, with the database's clock when it was locked. */
    record Locked(Schedule schedule, Instant now) {
    }

    /** A schedule as read, with its latest run (null before the first). */
    record WithLastRun(Schedule schedule, Run lastRun) {
    }

    private final Db db;

    ScheduleRepository(Db db) {
        this.db = db;
    }

    Instant now() {
        return db.sql("schedule/DatabaseNow").one(rs -> instant(rs, 1)).orElseThrow();
    }

    /** Locks up to {@code limit} due schedules that no other transaction holds (ScheduleLockDue). */
    List<Locked> lockDue(int limit) {
        return db.sql("schedule/ScheduleLockDue").bind("limit", limit).list(rs -> new Locked(schedule(rs),
                instant(rs, 17)));
    }

    Optional<Locked> lock(String id) {
        return db.sql("schedule/ScheduleLock").bind("id", id).one(rs -> new Locked(schedule(rs), instant(rs, 17)));
    }

    Optional<WithLastRun> get(String id) {
        return db.sql("schedule/ScheduleGet").bind("id", id).one(ScheduleRepository::withLastRun);
    }

    List<WithLastRun> list(Integer limit, int skip) {
        return db.sql("schedule/ScheduleList").bind("limit", limit).bind("skip", skip)
                .list(ScheduleRepository::withLastRun);
    }

    void insert(String id, NewSchedule schedule, Instant anchorAt, Instant nextFireAt) {
        bindDefinition(db.sql("schedule/ScheduleInsert"), schedule).bind("id", id).bind("anchorAt", anchorAt)
                .bind("nextFireAt", nextFireAt).update();
    }

    void update(String id, NewSchedule schedule, Instant anchorAt, Instant nextFireAt) {
        bindDefinition(db.sql("schedule/ScheduleUpdate"), schedule).bind("id", id).bind("anchorAt", anchorAt)
                .bind("nextFireAt", nextFireAt).update();
    }

    void setPaused(String id, boolean paused, Instant nextFireAt) {
        db.sql("schedule/ScheduleSetPaused").bind("id", id).bind("isPaused", paused).bind("nextFireAt", nextFireAt)
                .update();
    }

    /** The next fire time after a tick, and the group of the latest run when it created one. */
    void advance(String id, Instant nextFireAt, String lastGroupId) {
        db.sql("schedule/ScheduleAdvance").bind("id", id).bind("nextFireAt", nextFireAt)
                .bind("lastGroupId", lastGroupId).update();
    }

    boolean delete(String id) {
        return db.sql("schedule/ScheduleDelete").bind("id", id).update() == 1;
    }

    void insertRun(String scheduleId, Run run) {
        db.sql("schedule/ScheduleRunInsert").bind("scheduleId", scheduleId).bind("fireTime", run.fireTime())
                .bind("isManual", run.manual()).bind("taskGroupId", run.taskGroupId()).bind("skipped", run.skipped())
                .update();
    }

    void trimRuns(String scheduleId, int keep) {
        db.sql("schedule/ScheduleRunTrim").bind("scheduleId", scheduleId).bind("keep", keep).update();
    }

    List<Run> runs(String scheduleId, int limit, int skip) {
        return db.sql("schedule/ScheduleRuns").bind("scheduleId", scheduleId).bind("limit", limit).bind("skip", skip)
                .list(rs -> run(rs, 1));
    }

    boolean groupUnfinished(String groupId) {
        return db.sql("schedule/ScheduleGroupUnfinished").bind("groupId", groupId).one(rs -> rs.getBoolean(1))
                .orElse(false);
    }

    private static Query bindDefinition(Query query, NewSchedule schedule) {
        Timing timing = schedule.timing();
        return query.bind("name", schedule.name()).bind("cron", timing.cron())
                .bind("everySeconds", timing.everySeconds()).bind("timeZone", timing.timeZone().getId())
                .bind("startAt", timing.startAt()).bind("endAt", timing.endAt())
                .bind("overlap", schedule.overlap().name()).bind("catchUp", schedule.catchUp().name())
                .bind("isPaused", schedule.paused()).bind("template", new Json(schedule.template()));
    }

    /** Columns 1 to 16 of the statements that read a schedule, in their order. */
    private static Schedule schedule(ResultSet rs) throws SQLException {
        Timing timing = new Timing(rs.getString(3), rs.getObject(4, Integer.class), ZoneId.of(rs.getString(5)),
                instant(rs, 6), instant(rs, 7));
        NewSchedule definition = new NewSchedule(rs.getString(2), timing, Overlap.valueOf(rs.getString(9)),
                CatchUp.valueOf(rs.getString(10)), rs.getBoolean(11), rs.getString(12));
        return new Schedule(rs.getString(1), definition, instant(rs, 8), instant(rs, 13), rs.getString(14),
                instant(rs, 15), instant(rs, 16));
    }

    private static WithLastRun withLastRun(ResultSet rs) throws SQLException {
        return new WithLastRun(schedule(rs), rs.getObject(17) == null ? null : run(rs, 17));
    }

    /** A run from four columns: fire time, group, reason skipped, manual. */
    private static Run run(ResultSet rs, int first) throws SQLException {
        return new Run(instant(rs, first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getBoolean(first + 3));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
