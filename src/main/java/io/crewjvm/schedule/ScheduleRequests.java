package io.crewjvm.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.CrewTime;
import io.crewjvm.api.JsonValues;
import io.crewjvm.task.ChildRequests;
import io.crewjvm.task.NewTask;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Schedules read from their bodies (POST /schedules, PUT /schedule/:id, the preview), and a stored template read
 * into the group and tasks of one fire time. Every check is made before anything is stored: a template that is
 * accepted instantiates at every fire time.
 */
public final class ScheduleRequests {

    /** Where the fire time goes: into each task's input, and into the group's name in place of this text. */
    public static final String FIRE_TIME_FIELD = "fireTime";
    static final String FIRE_TIME_PLACEHOLDER = "{fireTime}";
    static final int MAX_TEMPLATE_TASKS = 1_000;
    /** A year: an interval beyond is better written as a cron expression. */
    private static final int MAX_EVERY_SECONDS = 366 * 24 * 3600;
    private static final String DEFAULT_ZONE = "UTC";

    /** One fire time's group name and tasks (new ids each time). */
    record Instance(String groupName, List<NewTask> tasks) {
    }

    private ScheduleRequests() {
    }

    static NewSchedule newSchedule(Body body) {
        String name = body.requiredString("name", "name is required");
        if (name.isBlank()) {
            throw ApiException.badRequest("name must not be blank");
        }
        Boolean paused = body.bool("isPaused");
        JsonNode template = body.json("template");
        if (template == null || !template.isObject()) {
            throw ApiException.badRequest("template is required: {\"group\": {\"name\": ...}, \"tasks\": [...]}");
        }
        instantiate(template, name, Instant.EPOCH);
        return new NewSchedule(name, timing(body), option(body, "overlap", Overlap.class, Overlap.allow),
                option(body, "catchUp", CatchUp.class, CatchUp.latest), paused != null && paused,
                JsonValues.write(template));
    }

    /** A schedule's group and tasks for one fire time, from the template it stored. */
    static Instance instantiate(String template, String scheduleName, Instant fireTime) {
        return instantiate(JsonValues.readObject(template), scheduleName, fireTime);
    }

    private static Instance instantiate(JsonNode template, String scheduleName, Instant fireTime) {
        Body body = Body.of(template);
        String time = CrewTime.format(fireTime);
        JsonNode group = body.json("group");
        if (group != null && !group.isObject()) {
            throw ApiException.badRequest("template.group must be an object");
        }
        String groupName = group == null ? null : Body.of(group).string("name");
        if (groupName == null) {
            groupName = scheduleName + " " + FIRE_TIME_PLACEHOLDER;
        }
        List<Body> items = body.objects("tasks");
        if (items.isEmpty() || items.size() > MAX_TEMPLATE_TASKS) {
            throw ApiException.badRequest("template.tasks must be an array of 1 to " + MAX_TEMPLATE_TASKS + " tasks");
        }
        List<Body> stamped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            stamped.add(Body.of(stamped(items.get(i), i, time)));
        }
        return new Instance(groupName.replace(FIRE_TIME_PLACEHOLDER, time), ChildRequests.ofTemplate(stamped));
    }

    /** The task with the fire time in its input, an object (created when the template gives none). */
    private static ObjectNode stamped(Body task, int index, String fireTime) {
        JsonNode input = task.json("input");
        if (input != null && !input.isObject()) {
            throw ApiException.badRequest("template.tasks[" + index + "].input must be an object (the fire time is "
                    + "added to it as " + FIRE_TIME_FIELD + ")");
        }
        ObjectNode withTime = input == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) input).deepCopy();
        withTime.put(FIRE_TIME_FIELD, fireTime);
        ObjectNode copy = task.copy();
        copy.set("input", withTime);
        return copy;
    }

    private static Timing timing(Body body) {
        String cron = body.string("cron");
        Integer every = body.integer("everySeconds", 1, MAX_EVERY_SECONDS);
        if (body.json("everySeconds") != null && every == null) {
            throw ApiException.badRequest("everySeconds must be an integer from 1 to " + MAX_EVERY_SECONDS);
        }
        if ((cron == null) == (every == null)) {
            throw ApiException.badRequest("Give either cron (five fields, or six with seconds first) or everySeconds");
        }
        if (cron != null) {
            try {
                ScheduleTimes.parse(cron);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("cron '" + cron + "' is not valid: " + e.getMessage());
            }
        }
        Instant start = body.time("startAt");
        Instant end = body.time("endAt");
        if (start != null && end != null && end.isBefore(start)) {
            throw ApiException.badRequest("endAt must not be before startAt");
        }
        return new Timing(cron == null ? null : cron.trim(), every, zone(body.string("timeZone")), start, end);
    }

    private static ZoneId zone(String name) {
        if (name == null) {
            return ZoneId.of(DEFAULT_ZONE);
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("timeZone '" + name + "' is not a known IANA time zone");
        }
    }

    private static <E extends Enum<E>> E option(Body body, String field, Class<E> type, E fallback) {
        String value = body.string(field);
        if (value == null) {
            return fallback;
        }
        for (E option : type.getEnumConstants()) {
            if (option.name().equals(value)) {
                return option;
            }
        }
        throw ApiException.badRequest(field + " must be one of " + Arrays.toString(type.getEnumConstants()));
    }
}
