package io.crewjvm.schedule;

import java.time.Instant;
import java.time.ZoneId;

/**
 * When a schedule fires: a cron expression ({@code cron}, five fields or six with seconds first) or a fixed
 * interval ({@code everySeconds}), exactly one of them; the zone of the cron's local times; and an optional first
 * and last instant.
 */
public record Timing(String cron, Integer everySeconds, ZoneId timeZone, Instant startAt, Instant endAt) {
}
