package io.crewjvm.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The wire shapes of Crew 1.0.25 for the OpenAPI document. Task documents are built by the database
 * (task_text), so these records describe them; they are not used at run time. The worker protocol's request and
 * answer shapes are described with its endpoints in META-INF/openapi.yaml.
 */
public final class ApiSchemas {

    private ApiSchemas() {
    }

    @Schema(name = "Message", description = "Every error: a human-readable message")
    public record Message(@Schema(example = "Task with id 6372a3c2f1e2d3c4b5a69788 not found!") String message) {
    }

    @Schema(name = "Task")
    public record Task(
            @JsonProperty("_id") String id, String taskGroupId, String name, String channel, String workgroup,
            String key, int remainingAttempts, boolean isPaused, boolean parentsComplete, boolean isComplete,
            int priority, @Schema(format = "date-time") String runAfter, double progressWeight, boolean isSeed,
            int errorDelayInSeconds, Object input, List<Object> errors, Object output,
            @Schema(format = "date-time") String createdAt, List<String> parentIds, String assignedTo,
            @Schema(format = "date-time") String assignedAt, String executeMessageId, String examineMessageId,
            @Schema(description = "Additive: waiting, scheduled, ready, running, complete, failed, blocked or cancelled",
                    enumeration = {"waiting", "scheduled", "ready", "running", "complete", "failed", "blocked",
                        "cancelled"})
            String state,
            @Schema(description = "Additive: number of the current or last execution attempt") int attempt,
            @Schema(description = "Additive: lease length for this task, null for the service default")
            Integer leaseSeconds,
            @Schema(description = "Additive: when the current lease ends", format = "date-time")
            String leaseExpiresAt,
            @Schema(description = "Additive: when the task completed", format = "date-time") String completedAt,
            @Schema(description = "Additive: units of its workgroups' budgets that acquiring it spends")
            double rateUnits,
            @Schema(description = "Additive: what holds it; empty once it runs or has finished")
            List<WaitReason> waitingFor,
            @Schema(description = "Additive, present when set: when a failed attempt's task runs again")
            RetryPolicy retryPolicy,
            @Schema(description = "Additive, present when set: how long one attempt may run") Integer timeoutSeconds,
            @Schema(description = "Additive, present when set: parentsDone", enumeration = {"parentsDone"})
            String runWhen,
            @Schema(description = "Additive, present while an attempt with a timeout runs: when it times out",
                    format = "date-time") String timeoutAt) {
    }

    @Schema(name = "RetryPolicy", requiredProperties = {"backoff"}, description = "Additive. fixed: wait "
            + "errorDelayInSeconds (Crew's rule, the default); exponential: initialDelaySeconds * factor^(n-1) after "
            + "the n-th error, at most maxDelaySeconds. jitter j: a random part of up to j of the delay is taken off.")
    public record RetryPolicy(
            @Schema(enumeration = {"fixed", "exponential"}) String backoff,
            @Schema(defaultValue = "1", description = "exponential only; more than 0") Double initialDelaySeconds,
            @Schema(defaultValue = "2", minimum = "1", maximum = "10", description = "exponential only")
            Double factor,
            @Schema(defaultValue = "3600", description = "exponential only; at least initialDelaySeconds")
            Double maxDelaySeconds,
            @Schema(defaultValue = "0", minimum = "0", maximum = "1") Double jitter) {
    }

    @Schema(name = "ChannelSettings", description = "Additive: defaults of a channel's tasks that set none "
            + "themselves; null: none (Crew's fixed errorDelayInSeconds, no timeout)")
    public record ChannelSettings(String channel, RetryPolicy retryPolicy,
                                  @Schema(minimum = "1") Integer timeoutSeconds) {
    }

    @Schema(name = "WaitReason", description = "One thing that holds a task; the other fields depend on the reason")
    public record WaitReason(
            @Schema(enumeration = {"parents", "runAfter", "groupPaused", "workgroupPaused", "cap", "budget"})
            String reason,
            @Schema(description = "parents: its parents not complete yet") Integer parentsLeft,
            @Schema(description = "workgroupPaused, cap, budget: the workgroup (its own or an ancestor)")
            String workgroup,
            @Schema(format = "date-time", description = "runAfter, workgroupPaused, budget: when it ends, if known")
            String until,
            @Schema(description = "cap: the workgroup's tasks leased now") Integer running,
            @Schema(description = "cap: the workgroup's cap") Integer maxRunning) {
    }

    @Schema(name = "GraphTask", description = "A task as a node of its group's DAG")
    public record GraphTask(@JsonProperty("_id") String id, String name, String channel,
                            @Schema(enumeration = {"waiting", "scheduled", "ready", "running", "complete", "failed",
                                "blocked", "cancelled"}) String state,
                            boolean isPaused, List<String> parentIds, List<WaitReason> waitingFor) {
    }

    @Schema(name = "Graph", description = "A group's DAG: its tasks, oldest first, with their parents")
    public record Graph(@JsonProperty("_id") String id, long totalTasks, List<GraphTask> tasks) {
    }

    @Schema(name = "CreateTask", requiredProperties = {"name", "channel"})
    public record CreateTask(
            String name, String channel, String workgroup, String key,
            @Schema(defaultValue = "5", minimum = "1") Integer remainingAttempts,
            @Schema(defaultValue = "0") Integer priority,
            @Schema(description = "ISO-8601 date-time or epoch milliseconds; not acquired before it")
            String runAfter,
            @Schema(defaultValue = "1") Double progressWeight,
            @Schema(defaultValue = "false") Boolean isSeed,
            @Schema(defaultValue = "30") Integer errorDelayInSeconds,
            @Schema(description = "Additive: lease length in seconds for this task") Integer leaseSeconds,
            Object input,
            @Schema(description = "Ids of parent tasks (any group); the task runs after all completed")
            List<String> parentIds,
            @Schema(description = "Additive: when a failed attempt's task runs again; default: the channel's, else "
                    + "fixed") RetryPolicy retryPolicy,
            @Schema(description = "Additive: how long one attempt may run, heartbeats or not; default: the "
                    + "channel's, else unlimited", minimum = "1") Integer timeoutSeconds,
            @Schema(description = "Additive: parentsDone runs the task once every parent has ended (complete, "
                    + "failed, blocked or cancelled) and gives it each parent's state and last error; default "
                    + "parentsComplete", enumeration = {"parentsComplete", "parentsDone"}) String runWhen) {
    }

    @Schema(name = "CreateTaskGroup")
    public record CreateTaskGroup(String name, @Schema(defaultValue = "false") Boolean isPaused) {
    }

    @Schema(name = "CreateOperator")
    public record CreateOperator(
            @Schema(required = true) String channel,
            @Schema(required = true, example = "http://worker:3002/execute/email") String url,
            @Schema(description = "headers (object of strings), auth {username, password} (HTTP basic), timeout "
                    + "(ms, default CREW_ABANDONED_TASK_INTERVAL_IN_SECONDS)") Map<String, Object> requestConfig,
            @Schema(defaultValue = "false") Boolean isPaused) {
    }

    @Schema(name = "UpdateTaskGroup", description = "Only name is changed; other fields are ignored")
    public record UpdateTaskGroup(String name) {
    }

    @Schema(name = "AttemptsRequest")
    public record AttemptsRequest(@Schema(minimum = "1") Integer remainingAttempts) {
    }

    @Schema(name = "StoppedTaskRetry", description = "Additive: which failed (or cancelled) tasks to retry")
    public record StoppedTaskRetry(
            @Schema(enumeration = {"failed", "cancelled"}, defaultValue = "failed") String state, String channel,
            String workgroup, @Schema(format = "date-time", description = "ended at or after") String since,
            @Schema(minimum = "1", defaultValue = "2") Integer remainingAttempts) {
    }

    @Schema(name = "Retried", description = "Additive: how many tasks a bulk retry revived")
    public record Retried(long retried) {
    }

    @Schema(name = "DeleteResult")
    public record DeleteResult(boolean acknowledged, long deletedCount) {
    }

    @Schema(name = "Count")
    public record Count(long count) {
    }

    @Schema(name = "Channel")
    public record Channel(String name, long totalCount, long completedCount, long assignedCount) {
    }

    @Schema(name = "Workgroup")
    public record Workgroup(String name, boolean isPaused, @Schema(format = "date-time") String pausedUntil,
                            String reason, String parent, Integer maxRunning, Rate rate,
                            @Schema(description = "Tasks of the workgroup and those below it leased now") int running,
                            @Schema(description = "Units its budget holds now (null: no budget)") Double unitsLeft,
                            @Schema(format = "date-time", description = "When the budget that a release reported "
                                    + "resets") String budgetResetAt,
                            @Schema(description = "Its ready or scheduled tasks that cannot be acquired now because "
                                    + "of a pause, a full cap or an empty budget (its own or an ancestor's)") long held,
                            @Schema(description = "Unfinished tasks of the workgroup per state")
                            java.util.Map<String, Integer> taskCounts) {
    }

    @Schema(name = "Rate", description = "A token bucket: limit units per periodSeconds, holding at most burst")
    public record Rate(double limit, double periodSeconds, @Schema(description = "Default: limit") Double burst) {
    }

    @Schema(name = "WorkgroupLimits", description = "Each part optional; null removes it")
    public record WorkgroupLimits(Integer maxRunning, Rate rate, String parent) {
    }

    @Schema(name = "ChannelFairness")
    public record ChannelFairness(String channel,
                                  @Schema(enumeration = {"none", "workgroup"}, defaultValue = "none") String fairness) {
    }

    @Schema(name = "WorkgroupPause", description = "Either until or seconds")
    public record WorkgroupPause(@Schema(description = "ISO-8601 date-time or epoch milliseconds") String until,
                                 Integer seconds, String reason) {
    }

    @Schema(name = "Attempt")
    public record Attempt(int attempt, String workerId, @Schema(format = "date-time") String acquiredAt,
                          @Schema(format = "date-time") String finishedAt,
                          @Schema(enumeration = {"completed", "failed", "abandoned", "merged", "reset", "cancelled",
                              "timed_out"}) String outcome,
                          Object error) {
    }

    @Schema(name = "Health")
    public record Health(boolean healthy) {
    }
}
