package io.crewjvm.schedule;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.CrewTime;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Paging;
import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Schedule CRUD, pause and resume, run now, the next fire times and the history. Times count from the database
 * clock. A schedule created, changed or resumed goes on from its next fire time after now: what it would have
 * fired before is not caught up.
 */
@ApplicationScoped
public class ScheduleService {

    static final int MAX_NEXT = 1_000;

    private final ScheduleRepository schedules;
    private final Firing firing;

    ScheduleService(ScheduleRepository schedules, Firing firing) {
        this.schedules = schedules;
        this.firing = firing;
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Schedule with id " + id + " not found!");
    }

    public ScheduleView create(NewSchedule schedule) {
        return Transactions.retrying(() -> {
            Instant now = schedules.now();
            Instant anchor = ScheduleTimes.anchor(schedule.timing(), now);
            String id = Ids.newId();
            schedules.insert(id, schedule, anchor, nextFireAt(schedule, anchor, now));
            return get(id);
        });
    }

    public ScheduleView get(String id) {
        ScheduleRepository.WithLastRun found = schedules.get(id).orElseThrow(() -> notFound(id));
        return ScheduleView.of(found.schedule(), found.lastRun());
    }

    public List<ScheduleView> list(Paging paging) {
        return schedules.list(paging.limit(), paging.skip()).stream()
                .map(s -> ScheduleView.of(s.schedule(), s.lastRun())).toList();
    }

    /** Replaces the definition; the history stays, and the schedule goes on from its next fire time after now. */
    public ScheduleView update(String id, NewSchedule schedule) {
        return Transactions.retrying(() -> {
            ScheduleRepository.Locked locked = schedules.lock(id).orElseThrow(() -> notFound(id));
            Instant anchor = ScheduleTimes.anchor(schedule.timing(), locked.now());
            schedules.update(id, schedule, anchor, nextFireAt(schedule, anchor, locked.now()));
            return get(id);
        });
    }

    public void delete(String id) {
        Transactions.retrying(() -> {
            if (!schedules.delete(id)) {
                throw notFound(id);
            }
        });
    }

    /** Pause: no fire time runs until resumed. Resume: from the next fire time after now, none caught up. */
    public ScheduleView setPaused(String id, boolean paused) {
        return Transactions.retrying(() -> {
            ScheduleRepository.Locked locked = schedules.lock(id).orElseThrow(() -> notFound(id));
            Schedule schedule = locked.schedule();
            Instant next = paused ? schedule.nextFireAt() : schedule.times().next(locked.now()).orElse(null);
            schedules.setPaused(id, paused, next);
            return get(id);
        });
    }

    /**
     * Creates the schedule's group now, whatever its pause and overlap policy, as a run of its own (the request's
     * time); its fire times are unchanged.
     */
    public RunView runNow(String id) {
        return Transactions.retrying(() -> {
            ScheduleRepository.Locked locked = schedules.lock(id).orElseThrow(() -> notFound(id));
            Schedule schedule = locked.schedule();
            Run run = firing.run(schedule, locked.now(), true, schedule.lastGroupId());
            schedules.advance(id, schedule.nextFireAt(), run.taskGroupId());
            return RunView.of(run);
        });
    }

    /** The next {@code count} fire times after now (after the start when it is later), as ISO instants. */
    public List<String> next(String id, int count) {
        Schedule schedule = schedules.get(id).orElseThrow(() -> notFound(id)).schedule();
        return format(schedule.times().next(schedules.now(), count));
    }

    /** The next fire times of a schedule not stored (the dashboard's editor shows them before saving). */
    public List<String> preview(NewSchedule schedule, int count) {
        Instant now = schedules.now();
        return format(ScheduleTimes.of(schedule.timing(), ScheduleTimes.anchor(schedule.timing(), now))
                .next(now, count));
    }

    public List<RunView> runs(String id, Paging paging) {
        schedules.get(id).orElseThrow(() -> notFound(id));
        int limit = paging.limit() == null ? Firing.RUNS_KEPT : paging.limit();
        return schedules.runs(id, limit, paging.skip()).stream().map(RunView::of).toList();
    }

    private static Instant nextFireAt(NewSchedule schedule, Instant anchor, Instant now) {
        return ScheduleTimes.of(schedule.timing(), anchor).next(now).orElse(null);
    }

    private static List<String> format(List<Instant> times) {
        return times.stream().map(CrewTime::format).toList();
    }
}
