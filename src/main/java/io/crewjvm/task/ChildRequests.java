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
 * request's children into the tasks to create (a release's, a bulk create's, or a schedule template's).
 */
public final class ChildRequests {

    /** Where a list's tasks name themselves and their siblings, for the fields read and the messages. */
    private record Refs(String list, String id, String parents) {
    }

    private static final Refs CHILDREN = new Refs("children", "_child_id", "_parent_ids");
    private static final Refs TEMPLATE = new Refs("template.tasks", "_id", "parentIds");

    private ChildRequests() {
    }

    /** Continuation children of a release: those without {@code _parent_ids} depend on the creator. */
    public static List<NewTask> of(List<Body> children, String creatorId) {
        return of(children, CHILDREN, child -> List.of(), List.of(creatorId));
    }

    /**
     * Tasks created together (bulk create): each may name existing parents in {@code parentIds} and siblings in
     * {@code _parent_ids}; one without {@code _parent_ids} has only its {@code parentIds}.
     */
    public static List<NewTask> ofBatch(List<Body> items) {
        return of(items, CHILDREN, item -> item.ids("parentIds"), List.of());
    }

    /**
     * The tasks of a schedule's template, each time it fires (new ids every time): {@code _id} names a task within
     * the template and {@code parentIds} lists the {@code _id}s of its parents; one without parents is a root.
     */
    public static List<NewTask> ofTemplate(List<Body> items) {
        return of(items, TEMPLATE, item -> List.of(), List.of());
    }

    private static List<NewTask> of(List<Body> children, Refs refs, Function<Body, List<String>> ownParents,
                                    List<String> parentsWithoutRefs) {
        List<NewTask> tasks = new ArrayList<>();
        Map<JsonNode, Integer> byChildId = new HashMap<>();
        for (int i = 0; i < children.size(); i++) {
            Body child = children.get(i);
            JsonNode childId = child.json(refs.id());
            if (childId != null) {
                if (!childId.isNumber() && !childId.isTextual()) {
                    throw ApiException.badRequest(refs.list() + "[" + i + "]." + refs.id()
                            + " must be a number or a string");
                }
                if (byChildId.put(childId, i) != null) {
                    throw ApiException.badRequest(refs.list() + ": " + refs.id() + " " + childId + " is used twice");
                }
            }
            tasks.add(TaskRequests.newTask(child, List.of()));
        }
        List<List<Integer>> parentsOf = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            parentsOf.add(siblingParents(children.get(i), i, byChildId, refs));
        }
        requireAcyclic(parentsOf, refs);
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
    private static List<Integer> siblingParents(Body child, int index, Map<JsonNode, Integer> byChildId,
                                                Refs refs) {
        JsonNode parentRefs = child.json(refs.parents());
        if (parentRefs == null) {
            return null;
        }
        if (!parentRefs.isArray()) {
            throw ApiException.badRequest(refs.list() + "[" + index + "]." + refs.parents() + " must be an array");
        }
        List<Integer> parents = new ArrayList<>();
        for (JsonNode ref : parentRefs) {
            Integer parent = byChildId.get(ref);
            if (parent == null) {
                throw ApiException.badRequest(refs.list() + "[" + index + "]." + refs.parents()
                        + " refers to an unknown " + refs.id() + " " + ref);
            }
            if (!parents.contains(parent)) {
                parents.add(parent);
            }
        }
        return parents;
    }

    private static void requireAcyclic(List<List<Integer>> parentsOf, Refs refs) {
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
            throw ApiException.badRequest(refs.list() + ": " + refs.parents() + " form a cycle");
        }
    }
}
