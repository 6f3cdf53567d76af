package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Continuation children of a release, validated as a whole before anything is written. {@code _child_id} and
 * {@code _parent_ids} form a DAG among siblings, in any array order: a child without {@code _parent_ids} is a
 * continuation of the releasing task, {@code _parent_ids: []} makes an independent root. Unknown references
 * and cycles are rejected (Crew 1.0.25 silently dropped children that referenced a later sibling). Read from the
 * request's children into the tasks to create (a release's, or a bulk create's).
 */
public final class ChildRequests {

    private ChildRequests() {
    }

    /** Continuation children of a release: those without {@code _parent_ids} depend on the creator. */
    public static List<NewTask> of(List<Body> children, String creatorId) {
        return of(children, child -> List.of(), List.of(creatorId));
    }

    /**
     * Tasks created together (bulk create): each may name existing parents in {@code parentIds} and siblings in
     * {@code _parent_ids}; one without {@code _parent_ids} has only its {@code parentIds}.
     */
    public static List<NewTask> ofBatch(List<Body> items) {
        return of(items, item -> item.ids("parentIds"), List.of());
    }

    private static List<NewTask> of(List<Body> children, Function<Body, List<String>> ownParents,
                                    List<String> parentsWithoutRefs) {
        List<NewTask> tasks = new ArrayList<>();
        Map<JsonNode, Integer> byChildId = new HashMap<>();
        for (int i = 0; i < children.size(); i++) {
            Body child = children.get(i);
            JsonNode childId = child.json("_child_id");
            if (childId != null) {
                if (!childId.isNumber() && !childId.isTextual()) {
                    throw ApiException.badRequest("children[" + i + "]._child_id must be a number or a string");
                }
                if (byChildId.put(childId, i) != null) {
                    throw ApiException.badRequest("children: _child_id " + childId + " is used twice");
                }
            }
            tasks.add(TaskRequests.newTask(child, List.of()));
        }
        List<List<Integer>> parentsOf = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            parentsOf.add(siblingParents(children.get(i), i, byChildId));
        }
        requireAcyclic(parentsOf);
        List<NewTask> wired = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            List<Integer> siblings = parentsOf.get(i);
            List<String> parents = new ArrayList<>();
            List<String> own = ownParents.apply(children.get(i));
            if (own != null) {
                parents.addAll(own);
            }
            if (siblings == null) {
                parents.addAll(parentsWithoutRefs);
            } else {
                siblings.forEach(p -> parents.add(tasks.get(p).id()));
            }
            wired.add(tasks.get(i).withParents(parents));
        }
        return wired;
    }

    /** The sibling indexes a child depends on; null when it has no {@code _parent_ids} (child of the creator). */
    private static List<Integer> siblingParents(Body child, int index, Map<JsonNode, Integer> byChildId) {
        JsonNode refs = child.json("_parent_ids");
        if (refs == null) {
            return null;
        }
        if (!refs.isArray()) {
            throw ApiException.badRequest("children[" + index + "]._parent_ids must be an array");
        }
        List<Integer> parents = new ArrayList<>();
        for (JsonNode ref : refs) {
            Integer parent = byChildId.get(ref);
            if (parent == null) {
                throw ApiException.badRequest("children[" + index + "]._parent_ids refers to an unknown _child_id "
                        + ref);
            }
            if (!parents.contains(parent)) {
                parents.add(parent);
            }
        }
        return parents;
    }

    private static void requireAcyclic(List<List<Integer>> parentsOf) {
        int n = parentsOf.size();
        int[] open = new int[n];
        List<List<Integer>> childrenOf = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            childrenOf.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            List<Integer> parents = parentsOf.get(i);
            if (parents != null) {
                open[i] = parents.size();
                for (Integer p : parents) {
                    childrenOf.get(p).add(i);
                }
            }
        }
        Deque<Integer> free = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (open[i] == 0) {
                free.add(i);
            }
        }
        int sorted = 0;
        while (!free.isEmpty()) {
            int i = free.poll();
            sorted++;
            for (int child : childrenOf.get(i)) {
                if (--open[child] == 0) {
                    free.add(child);
                }
            }
        }
        if (sorted < n) {
            throw ApiException.badRequest("children: _parent_ids form a cycle");
        }
    }
}
