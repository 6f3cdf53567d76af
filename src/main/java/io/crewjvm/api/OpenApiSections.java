package io.crewjvm.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * The sections of the OpenAPI document (its tags), in the order Swagger UI shows them: what a newcomer looks for
 * first (task groups, tasks, the workers' channels) on top, maintenance and health last. Listed alphabetically, the
 * page opened on admin.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiSections implements OASFilter {

    private record Section(String tag, String description) {
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("task_group", "Task groups: create, list, pause, resume, retry, reset, delete"),
            new Section("task", "Tasks: create in a group, read, change, reset, retry, pluck, delete; release and "
                    + "heartbeat by the worker that holds one"),
            new Section("channel", "Channels: where workers acquire tasks; their counts and tasks"),
            new Section("workgroup", "Workgroups: rate-limit pauses shared by the tasks of every group"),
            new Section("operator", "Operators: channels whose tasks are delivered to a URL by webhook"),
            new Section("schedule", "Schedules: task groups created at the fire times of a cron expression or an "
                    + "interval, in a time zone"),
            new Section("admin", "Maintenance jobs, for external schedulers"),
            new Section("devops", "Health"));

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        openApi.setTags(SECTIONS.stream()
                .map(section -> OASFactory.createTag().name(section.tag()).description(section.description()))
                .toList());
    }
}
