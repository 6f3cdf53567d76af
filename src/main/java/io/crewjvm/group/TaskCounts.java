package io.crewjvm.group;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many tasks of a group are in each state, the progress weights behind them, and when the latest of its
 * complete tasks completed.
 */
public record TaskCounts(Map<String, Integer> byState, double totalWeight, double completeWeight,
                         Instant lastCompletedAt) {

    public static final TaskCounts NONE = new TaskCounts(Map.of(), 0, 0, null);

    static TaskCounts of(Map<String, Integer> byState, Map<String, Double> weightByState, Instant lastCompletedAt) {
        double total = weightByState.values().stream().mapToDouble(Double::doubleValue).sum();
        return new TaskCounts(new TreeMap<>(byState), total, weightByState.getOrDefault("complete", 0.0),
                lastCompletedAt);
    }

    public int count(String state) {
        return byState.getOrDefault(state, 0);
    }

    @JsonIgnore
    public int total() {
        return byState.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Weighted progress from 0 to 1 ({@code progressWeight} of complete tasks over all tasks). */
    @JsonIgnore
    public double progress() {
        if (totalWeight > 0) {
            return completeWeight / totalWeight;
        }
        return total() > 0 && count("complete") == total() ? 1 : 0;
    }
}
