package io.crewjvm.group;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.crewjvm.api.CrewTime;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task group in Crew's wire shape, plus its status and progress (additive fields). */
@Schema(name = "TaskGroup")
public record GroupView(
        @JsonProperty("_id") @Schema(example = "6372a3c2f1e2d3c4b5a69788") String id,
        String name,
        boolean isPaused,
        @Schema(format = "date-time") String createdAt,
        @Schema(description = "When the last task of the group completed, once every task is complete; null while not",
                format = "date-time")
        String completedAt,
        GroupStatus status,
        @Schema(description = "Number of tasks in each state") Map<String, Integer> taskCounts,
        int totalTasks,
        @Schema(description = "Weighted progress from 0 to 1 (progressWeight of complete tasks over all)")
        double progress) {

    static GroupView of(TaskGroup group, TaskCounts counts) {
        GroupStatus status = GroupStatus.of(group.paused, counts);
        return new GroupView(group.id, group.name, group.paused, CrewTime.format(group.createdAt),
                CrewTime.format(status == GroupStatus.complete ? counts.lastCompletedAt() : null),
                status, counts.byState(), counts.total(), counts.progress());
    }
}
