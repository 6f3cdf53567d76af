package io.crewjvm.workgroup;

/**
 * A validated change of a workgroup's limits ({@code PUT /workgroup/{name}}): each part is changed only when it was
 * sent ({@code sets...}), and a part sent as null is removed.
 */
public record WorkgroupLimits(boolean setsMaxRunning, Integer maxRunning, boolean setsRate, Rate rate,
                              boolean setsParent, String parent) {

    /** A budget: {@code limit} units per {@code periodSeconds}, holding at most {@code burst}. */
    public record Rate(double limit, double periodSeconds, double burst) {
    }
}
