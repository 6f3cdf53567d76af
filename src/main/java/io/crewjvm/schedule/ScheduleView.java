package io.crewjvm.schedule;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.crewjvm.api.CrewTime;
import io.crewjvm.api.RawJson;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule in the wire shape: its definition as sent, its next fire time and its latest run. */
@Schema(name = "Schedule")
public record ScheduleView(
        @JsonProperty("_id") @Schema(example = "6372a3c2f1e2d3c4b5a69788") String id,
        String name,
        @Schema(description = "Five fields (minute hour day-of-month month day-of-week), or six with seconds first; "
                + "null for an interval schedule", example = "30 2 * * *") String cron,
        @Schema(description = "Fixed interval in seconds; null for a cron schedule") Integer everySeconds,
        @Schema(description = "IANA zone of the cron's local times", example = "America/New_York") String timeZone,
        @Schema(format = "date-time") String startAt,
        @Schema(format = "date-time") String endAt,
        Overlap overlap,
        CatchUp catchUp,
        boolean isPaused,
        @Schema(type = SchemaType.OBJECT, description = "The group and tasks created at each fire time")
        RawJson template,
        @Schema(format = "date-time", description = "null while paused or once the end has passed")
        String nextFireTime,
        @Schema(description = "The latest run, null before the first") RunView lastRun,
        @Schema(format = "date-time") String createdAt,
        @Schema(format = "date-time") String updatedAt) {

    static ScheduleView of(Schedule schedule, Run lastRun) {
        NewSchedule d = schedule.definition();
        Timing t = d.timing();
        return new ScheduleView(schedule.id(), d.name(), t.cron(), t.everySeconds(), t.timeZone().getId(),
                CrewTime.format(t.startAt()), CrewTime.format(t.endAt()), d.overlap(), d.catchUp(), d.paused(),
                new RawJson(d.template()), d.paused() ? null : CrewTime.format(schedule.nextFireAt()),
                RunView.of(lastRun), CrewTime.format(schedule.createdAt()), CrewTime.format(schedule.updatedAt()));
    }
}
