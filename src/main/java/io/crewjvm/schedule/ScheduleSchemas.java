package io.crewjvm.schedule;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request bodies of the schedule endpoints, for the OpenAPI document (the resource reads them as JSON). */
final class ScheduleSchemas {

    private ScheduleSchemas() {
    }

    @Schema(name = "CreateSchedule", description = "Give cron or everySeconds")
    record CreateSchedule(
            @Schema(required = true, example = "nightly") String name,
            @Schema(description = "Five fields (minute hour day-of-month month day-of-week), or six with seconds first",
                    example = "30 2 * * *") String cron,
            @Schema(description = "Fire every this many seconds from startAt (default: from creation)")
            Integer everySeconds,
            @Schema(description = "IANA zone of the cron's local times", defaultValue = "UTC",
                    example = "America/New_York") String timeZone,
            @Schema(format = "date-time", description = "No fire time before") String startAt,
            @Schema(format = "date-time", description = "No fire time after") String endAt,
            @Schema(defaultValue = "allow", description = "skip: no group while the previous one is unfinished "
                    + "(the fire time is recorded as skipped)") Overlap overlap,
            @Schema(defaultValue = "latest", description = "Fire times missed while the service was down: none, the "
                    + "latest only, or all (up to CREW_SCHEDULE_CATCH_UP_MAX)") CatchUp catchUp,
            @Schema(defaultValue = "false") Boolean isPaused,
            @Schema(required = true) Template template) {
    }

    @Schema(name = "ScheduleTemplate")
    record Template(TemplateGroup group, @Schema(required = true) List<TemplateTask> tasks) {
    }

    @Schema(name = "ScheduleTemplateGroup")
    record TemplateGroup(@Schema(description = "{fireTime} is replaced by the fire time (default: the schedule's "
            + "name and the fire time)", example = "nightly {fireTime}") String name) {
    }

    @Schema(name = "ScheduleTemplateTask", description = "A CreateTask, whose parents are given by template ids")
    record TemplateTask(
            @Schema(name = "_id", description = "The task's id within the template", example = "a") String id,
            @Schema(required = true) String name,
            @Schema(required = true) String channel,
            @Schema(description = "_id values of other tasks of the template") List<String> parentIds,
            @Schema(description = "An object; each created task's input has the fire time added as fireTime")
            Map<String, Object> input) {
    }
}
