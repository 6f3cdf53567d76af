package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.TaskLog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the tasks of a group that have not started wait for on the clock, read from the group's tasks as the API
 * returns them ({@code state}, {@code runAfter}, {@code createdAt}, {@code completedAt}, {@code parentIds},
 * {@code workgroup}, {@code errors}) and from the workgroups' pauses ({@code GET /api/v1/workgroups}):
 * <ul>
 * <li>the children of a task's continuation held by its {@code childrenDelayInSeconds}: they were created with
 *     the parent's completion ({@code createdAt} = the parent's {@code completedAt}), and the delay gave most of
 *     them the same {@code runAfter}, a whole number of seconds after their creation;</li>
 * <li>a workgroup's pause;</li>
 * <li>a scheduled task's own {@code runAfter}, or the error delay of a task that failed
 *     ({@code errorDelayInSeconds}).</li>
 * </ul>
 * Tasks that wait only for their parents to run are not mentioned: the counts of the progress line tell them.
 * Times left are counted from {@code now}, by this machine's clock.
 */
final class WaitReasons {

    private record Task(String id, String name, String state, Instant createdAt, Instant completedAt,
                        Instant runAfter, String workgroup, List<String> parentIds, boolean failedBefore) {

        boolean unstarted() {
            return state.equals("waiting") || state.equals("scheduled");
        }
    }

    /** A workgroup's pause: until when (null when the service did not say), and why (or null). */
    record Pause(Instant until, String reason) {
    }

    private WaitReasons() {
    }

    /** Whether any task of this list (the group's) that has not started belongs to a workgroup. */
    static boolean anyInWorkgroup(JsonNode tasks) {
        for (JsonNode task : tasks) {
            String state = task.path("state").asText();
            if ((state.equals("waiting") || state.equals("scheduled")) && task.path("workgroup").isTextual()) {
                return true;
            }
        }
        return false;
    }

    /** The paused workgroups of a {@code GET /api/v1/workgroups} answer, by name. */
    static Map<String, Pause> pauses(JsonNode workgroups) {
        Map<String, Pause> pauses = new HashMap<>();
        for (JsonNode workgroup : workgroups) {
            if (workgroup.path("isPaused").asBoolean(false)) {
                pauses.put(workgroup.path("name").asText(), new Pause(instant(workgroup.path("pausedUntil")),
                        workgroup.path("reason").isTextual() ? workgroup.path("reason").asText() : null));
            }
        }
        return pauses;
    }

    /**
     * E.g. {@code 4 children of "Task C" start in 6 s (childrenDelayInSeconds)}, {@code workgroup "ads" paused for
     * 8 s more}, {@code "Task B" starts in 5 s (runAfter)}; empty when nothing waits on the clock.
     */
    static List<String> of(JsonNode groupTasks, Map<String, Pause> pauses, Instant now) {
        List<Task> tasks = new ArrayList<>();
        for (JsonNode json : groupTasks) {
            tasks.add(task(json));
        }
        List<String> reasons = new ArrayList<>();
        Set<String> explained = new HashSet<>();
        childrenDelays(tasks, now, reasons, explained);
        workgroupPauses(tasks, pauses, now, reasons, explained);
        ownTimes(tasks, now, reasons, explained);
        return reasons;
    }

    /** The continuations whose children are held by the parent's childrenDelayInSeconds. */
    private static void childrenDelays(List<Task> tasks, Instant now, List<String> reasons, Set<String> explained) {
        for (Task parent : tasks) {
            if (parent.completedAt() == null) {
                continue;
            }
            List<Task> family = continuation(tasks, parent);
            List<Task> unstarted = family.stream().filter(Task::unstarted).toList();
            Instant end = delayEnd(family);
            // Once the delay is over, its first children stay scheduled until the service makes them ready.
            if (unstarted.isEmpty() || end == null || !end.isAfter(now) && unstarted.stream()
                    .noneMatch(task -> task.state().equals("scheduled") && end.equals(task.runAfter()))) {
                continue;
            }
            reasons.add(count(unstarted.size(), "child", "children") + " of " + TaskLog.quoted(parent.name())
                    + " start " + when(now, end) + " (childrenDelayInSeconds)");
            unstarted.forEach(task -> explained.add(task.id()));
        }
    }

    /**
     * The tasks created by the release of {@code parent}: created at its completion, below it through one
     * another (a continuation's children may depend on their siblings rather than on the parent).
     */
    private static List<Task> continuation(List<Task> tasks, Task parent) {
        Set<String> ids = new HashSet<>(Set.of(parent.id()));
        List<Task> family = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Task task : tasks) {
                if (!ids.contains(task.id()) && parent.completedAt().equals(task.createdAt())
                        && task.parentIds().stream().anyMatch(ids::contains)) {
                    ids.add(task.id());
                    family.add(task);
                    grew = true;
                }
            }
        }
        return family;
    }

    /**
     * When a childrenDelayInSeconds ends: the runAfter most of the children share, a whole number of seconds
     * after their creation (a child's own runAfter, when it had one, wins over the delay); null when none.
     */
    private static Instant delayEnd(List<Task> family) {
        Map<Instant, Integer> votes = new LinkedHashMap<>();
        for (Task task : family) {
            if (task.runAfter() != null && task.runAfter().isAfter(task.createdAt())
                    && Duration.between(task.createdAt(), task.runAfter()).toMillis() % 1000 == 0) {
                votes.merge(task.runAfter(), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The paused workgroups of tasks that have not started. */
    private static void workgroupPauses(List<Task> tasks, Map<String, Pause> pauses, Instant now,
                                        List<String> reasons, Set<String> explained) {
        Map<String, List<Task>> byWorkgroup = new LinkedHashMap<>();
        for (Task task : tasks) {
            if (task.unstarted() && task.workgroup() != null && pauses.containsKey(task.workgroup())) {
                byWorkgroup.computeIfAbsent(task.workgroup(), name -> new ArrayList<>()).add(task);
            }
        }
        byWorkgroup.forEach((name, held) -> {
            Pause pause = pauses.get(name);
            if (pause.until() != null && !pause.until().isAfter(now)) {
                return;
            }
            reasons.add("workgroup " + TaskLog.quoted(name) + " paused"
                    + (pause.until() == null ? "" : " for " + secondsLeft(now, pause.until()) + " more")
                    + (pause.reason() == null || pause.reason().isEmpty() ? "" : ": " + TaskLog.quoted(pause.reason()))
                    + " (" + count(held.size(), "task", "tasks") + ")");
            held.forEach(task -> explained.add(task.id()));
        });
    }

    /** Scheduled tasks held by their own runAfter, or by the error delay after a failed attempt. */
    private static void ownTimes(List<Task> tasks, Instant now, List<String> reasons, Set<String> explained) {
        List<Task> runAfter = new ArrayList<>();
        List<Task> retries = new ArrayList<>();
        for (Task task : tasks) {
            if (task.state().equals("scheduled") && !explained.contains(task.id()) && task.runAfter() != null) {
                (task.failedBefore() ? retries : runAfter).add(task);
            }
        }
        if (!runAfter.isEmpty()) {
            reasons.add(held(runAfter, "starts", "start", now) + " (runAfter)");
        }
        if (!retries.isEmpty()) {
            reasons.add(held(retries, "is retried", "are retried", now) + " (errorDelayInSeconds)");
        }
    }

    /** {@code "Task B" starts in 5 s}, or {@code 3 tasks start in 5 to 40 s}. */
    private static String held(List<Task> tasks, String one, String many, Instant now) {
        if (tasks.size() == 1) {
            return TaskLog.quoted(tasks.get(0).name()) + " " + one + " " + when(now, tasks.get(0).runAfter());
        }
        Instant first = tasks.stream().map(Task::runAfter).min(Instant::compareTo).orElseThrow();
        Instant last = tasks.stream().map(Task::runAfter).max(Instant::compareTo).orElseThrow();
        String soonest = secondsLeft(now, first);
        String latest = secondsLeft(now, last);
        return tasks.size() + " tasks " + many + " in "
                + (soonest.equals(latest) ? soonest : soonest.replace(" s", "") + " to " + latest);
    }

    /**
     * {@code in 6 s}, or {@code now} once the time has come (a scheduled task is made ready within a second or
     * so).
     */
    private static String when(Instant now, Instant until) {
        return until.isAfter(now) ? "in " + secondsLeft(now, until) : "now";
    }

    /** Whole seconds, rounded up: a task due in 0.2 s is due in 1 s. */
    private static String secondsLeft(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000) + " s";
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static Task task(JsonNode json) {
        List<String> parents = new ArrayList<>();
        json.path("parentIds").forEach(parent -> parents.add(parent.asText()));
        return new Task(json.path("_id").asText(), json.path("name").asText(null), json.path("state").asText(),
                instant(json.path("createdAt")), instant(json.path("completedAt")), instant(json.path("runAfter")),
                json.path("workgroup").isTextual() ? json.path("workgroup").asText() : null, List.copyOf(parents),
                json.path("errors").size() > 0);
    }

    /** An ISO-8601 time of the API, or null (absent, null or unreadable). */
    private static Instant instant(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
