package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Delivers results. Network errors and 5xx are retried with backoff, the same body each time: its
 * {@code attempt} fences it to the lease it ends, so a try whose answer was lost and the try after it change
 * the task once. 4xx are never retried: the service has decided. A 409 after a lost answer of a failure means
 * that earlier try was applied; a 409 on the first try, that the lease was lost.
 */
final class Releaser {

    private static final int DETAIL_LENGTH = 200;

    private final CrewClient client;
    private final WorkerOptions options;
    /** When the group stops for good: no try starts after it. */
    private final Supplier<Instant> hardStop;

    Releaser(CrewClient client, WorkerOptions options, Supplier<Instant> hardStop) {
        this.client = client;
        this.options = options;
        this.hardStop = hardStop;
    }

    /** What a 4xx means for a release: settled, or another body to send at once instead. */
    private record Refusal(Released settled, ObjectNode instead) {
    }

    Released release(InFlight flight, ObjectNode body) throws InterruptedException {
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        Instant giveUp = Instant.now().plus(options.releaseRetryFor());
        ObjectNode sending = body;
        boolean retried = false;
        while (true) {
            Exception failure;
            try {
                client.releaseNow(flight.task.id(), sending);
                return applied(sending, retried);
            } catch (CrewApiException e) {
                if (!e.isServerError()) {
                    Refusal refusal = refusal(sending, e, retried);
                    if (refusal.settled() != null) {
                        return refusal.settled();
                    }
                    sending = refusal.instead();
                    continue;
                }
                failure = e;
            } catch (IOException e) {
                failure = e;
            }
            retried = true;
            if (!pause(backoff, giveUp, flight, failure)) {
                return Released.dropped("the service could not be reached (" + failure + ")");
            }
        }
    }

    /**
     * Releases the results of a batch in one call ({@code tasks/release}), each settled as it would be alone;
     * the outcomes in the same order. A service without that endpoint gets them one by one.
     */
    List<Released> releaseAll(List<InFlight> flights, List<ObjectNode> bodies) throws InterruptedException {
        Released[] outcomes = new Released[flights.size()];
        ObjectNode[] sending = new ObjectNode[flights.size()];
        boolean[] retried = new boolean[flights.size()];
        for (int i = 0; i < sending.length; i++) {
            sending[i] = bodies.get(i).deepCopy().put("taskId", flights.get(i).task.id());
        }
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        Instant giveUp = Instant.now().plus(options.releaseRetryFor());
        List<Integer> pending = range(flights.size());
        while (!pending.isEmpty()) {
            Exception failure = null;
            try {
                List<CrewClient.BatchResult> results = client.releaseAll(pending.stream().map(i -> sending[i]).toList());
                List<Integer> again = new ArrayList<>();
                for (int k = 0; k < pending.size(); k++) {
                    int i = pending.get(k);
                    CrewClient.BatchResult result = results.get(k);
                    if (result.status() < 300) {
                        outcomes[i] = applied(sending[i], retried[i]);
                    } else if (result.status() >= 500) {
                        failure = new CrewApiException(result.status(), result.message());
                        retried[i] = true;
                        again.add(i);
                    } else {
                        Refusal refusal = refusal(sending[i], new CrewApiException(result.status(), result.message()),
                                retried[i]);
                        if (refusal.settled() != null) {
                            outcomes[i] = refusal.settled();
                        } else {
                            sending[i] = refusal.instead().put("taskId", flights.get(i).task.id());
                            again.add(i);
                        }
                    }
                }
                pending = again;
                if (failure == null) {
                    continue;
                }
            } catch (CrewApiException e) {
                if (!e.isServerError()) {
                    for (int i : pending) {
                        outcomes[i] = release(flights.get(i), bodies.get(i));
                    }
                    break;
                }
                failure = e;
                pending.forEach(i -> retried[i] = true);
            } catch (IOException e) {
                failure = e;
                pending.forEach(i -> retried[i] = true);
            }
            if (!pending.isEmpty() && !pause(backoff, giveUp, flights.get(pending.get(0)), failure)) {
                for (int i : pending) {
                    outcomes[i] = Released.dropped("the service could not be reached (" + failure + ")");
                }
                break;
            }
        }
        return List.of(outcomes);
    }

    private Refusal refusal(ObjectNode body, CrewApiException refused, boolean retried) {
        int status = refused.status();
        if (status == 409 && retried && ReleaseBody.isFailure(body)) {
            return new Refusal(new Released(Released.Kind.FAILED,
                    detail(body.get("error")) + " (recorded by an earlier try whose answer was lost)"), null);
        }
        if (status == 400 || status == 413) {
            ObjectNode instead = ReleaseBody.instead(body, refused.getMessage());
            if (instead != null) {
                return new Refusal(null, instead);
            }
        }
        String why = status == 409 ? "the lease was lost" : status == 404 ? "the task is gone" : "refused";
        return new Refusal(Released.dropped(why + " (" + refused.getMessage() + ")"), null);
    }

    private static Released applied(ObjectNode body, boolean retried) {
        String after = retried ? " (release retried)" : "";
        if (ReleaseBody.isFailure(body)) {
            return new Released(Released.Kind.FAILED, detail(body.get("error")) + after);
        }
        int children = body.path("children").size();
        String detail = (children == 0 ? "" : children + (children == 1 ? " child" : " children")) + after;
        return new Released(Released.Kind.COMPLETED, detail.isEmpty() ? null : detail.strip());
    }

    /** Sleeps before the next try; false when the next try would start after the retries' deadline. */
    private boolean pause(Backoff backoff, Instant giveUp, InFlight flight, Exception failure)
            throws InterruptedException {
        Duration delay = backoff.next();
        Instant next = Instant.now().plus(delay);
        if (next.isAfter(giveUp) || next.isAfter(hardStop.get())) {
            return false;
        }
        options.listener().trouble(flight.workerId, "release of " + flight.task.id() + " failed, trying again in "
                + delay.toMillis() + " ms", failure);
        Thread.sleep(delay.toMillis());
        return true;
    }

    private static String detail(JsonNode error) {
        String text = error == null ? "" : error.isTextual() ? error.asText() : error.toString();
        return text.length() > DETAIL_LENGTH ? text.substring(0, DETAIL_LENGTH) + "..." : text;
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }
}
