package io.crewjvm.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crewjvm.api.CrewTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run in the wire shape: {@code {fireTime, taskGroupId}}, or {@code {fireTime, skipped}} with the reason. */
@Schema(name = "ScheduleRun")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        @Schema(format = "date-time") String fireTime,
        @Schema(description = "The group created for this fire time") String taskGroupId,
        @Schema(description = "Why no group was created") String skipped,
        @Schema(description = "Present and true for a run now (POST /schedule/{id}/run)") Boolean manual) {

    static RunView of(Run run) {
        return run == null ? null : new RunView(CrewTime.format(run.fireTime()), run.taskGroupId(), run.skipped(),
                run.manual() ? Boolean.TRUE : null);
    }
}
