package io.crewjvm.schedule;

import io.crewjvm.CrewConfig;
import io.crewjvm.group.GroupService;
import io.crewjvm.group.NewGroup;
import io.crewjvm.task.TaskService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fires schedules inside the caller's transaction: each fire time creates its group and tasks through the same
 * code as the API (a group, then its tasks with their parents among them) and records the fire time as done in
 * schedule_run, whose unique index refuses a second record of it; the schedule's next fire time moves on in the
 * same transaction, so a fire time is done exactly once or not at all.
 */
@ApplicationScoped
public class Firing {

    /** Runs kept per schedule; older ones are deleted as new ones are recorded. */
    static final int RUNS_KEPT = 1_000;

    private final ScheduleRepository schedules;
    private final GroupService groups;
    private final TaskService tasks;
    private final CrewConfig config;

    Firing(ScheduleRepository schedules, GroupService groups, TaskService tasks, CrewConfig config) {
        this.schedules = schedules;
        this.groups = groups;
        this.tasks = tasks;
        this.config = config;
    }

    /** Fires up to {@code limit} due schedules that no other replica is firing; returns how many it fired. */
    int fireDue(int limit) {
        List<ScheduleRepository.Locked> due = schedules.lockDue(limit);
        for (ScheduleRepository.Locked locked : due) {
            fire(locked.schedule(), locked.now());
        }
        return due.size();
    }

    /** Runs a schedule's due fire times by its policies and moves its next fire time past {@code now}. */
    private void fire(Schedule schedule, Instant now) {
        ScheduleTimes times = schedule.times();
        String lastGroup = schedule.lastGroupId();
        boolean created = false;
        for (Instant fireTime : dueTimes(schedule, times, now)) {
            Run run = run(schedule, fireTime, false, lastGroup);
            if (run.taskGroupId() != null) {
                lastGroup = run.taskGroupId();
                created = true;
            }
        }
        schedules.advance(schedule.id(), times.next(now).orElse(null), created ? lastGroup : null);
        schedules.trimRuns(schedule.id(), RUNS_KEPT);
    }

    /**
     * The fire times to run now, oldest first: every one from the stored next fire time up to {@code now} that is
     * within the grace period, and of the older (missed) ones what the catch-up policy keeps.
     */
    private List<Instant> dueTimes(Schedule schedule, ScheduleTimes times, Instant now) {
        Instant from = schedule.nextFireAt();
        Instant onTimeFrom = now.minus(config.scheduleGrace());
        int max = config.scheduleCatchUpMax();
        List<Instant> due = new ArrayList<>(times.between(from.isAfter(onTimeFrom) ? from : onTimeFrom, now, max));
        int missed = switch (schedule.definition().catchUp()) {
            case none -> 0;
            case latest -> 1;
            case all -> max;
        };
        if (missed > 0 && from.isBefore(onTimeFrom)) {
            due.addAll(times.between(from, onTimeFrom.minusNanos(1), missed));
        }
        Collections.reverse(due);
        return due;
    }

    /**
     * Runs one fire time of a locked schedule: its group and tasks, or, under the overlap policy skip while the
     * previous group is unfinished, a record of the skip.
     */
    Run run(Schedule schedule, Instant fireTime, boolean manual, String previousGroup) {
        Run run;
        if (!manual && schedule.definition().overlap() == Overlap.skip && previousGroup != null
                && schedules.groupUnfinished(previousGroup)) {
            run = new Run(fireTime, null, "overlap: group " + previousGroup + " is unfinished", false);
        } else {
            ScheduleRequests.Instance instance = ScheduleRequests.instantiate(schedule.definition().template(),
                    schedule.definition().name(), fireTime);
            String groupId = groups.create(new NewGroup(instance.groupName(), false)).id();
            tasks.createMany(groupId, instance.tasks());
            run = new Run(fireTime, groupId, null, manual);
        }
        schedules.insertRun(schedule.id(), run);
        return run;
    }
}
