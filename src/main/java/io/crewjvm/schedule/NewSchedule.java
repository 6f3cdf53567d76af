package io.crewjvm.schedule;

/**
 * A validated schedule (POST /schedules, PUT /schedule/:id): its timing, policies and the template of the group it
 * creates at each fire time, kept as the JSON that was sent ({@code template}), already checked to instantiate.
 */
public record NewSchedule(String name, Timing timing, Overlap overlap, CatchUp catchUp, boolean paused,
                          String template) {
}
