package io.crewjvm.schedule;

import java.time.Instant;

/** A stored schedule: its definition, the next fire time not done yet, and the group of its latest run. */
record Schedule(String id, NewSchedule definition, Instant anchorAt, Instant nextFireAt, String lastGroupId,
                Instant createdAt, Instant updatedAt) {

    ScheduleTimes times() {
        return ScheduleTimes.of(definition.timing(), anchorAt);
    }
}
