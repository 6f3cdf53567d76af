package io.crewjvm.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fire times of a schedule. cron-utils parses the expression and finds its matching local date-times, always
 * in UTC, where no local time is skipped or repeated; this class turns each local time into an instant of the
 * schedule's zone by one rule, so that a fire time is never lost and never doubled on a daylight-saving day:
 * <ul>
 * <li>a local time that the zone skips (spring forward) fires at the first instant after the gap: 02:30 in
 * America/New_York on 2027-03-14 fires at 03:00 EDT (07:00Z); every skipped time of one gap is that one fire;</li>
 * <li>a local time that the zone repeats (fall back) fires once, at its first occurrence: 02:30 in Europe/Berlin on
 * 2027-10-31 fires at 02:30 CEST (00:30Z), not again at 02:30 CET.</li>
 * </ul>
 * Interval schedules fire every {@code everySeconds} from their anchor, on the absolute clock: no zone applies.
 */
final class ScheduleTimes {

    private static final CronParser FIVE_FIELDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The five fields of UNIX cron after a seconds field, Sunday as 0 or 7 as there. */
    private static final CronDefinition SECONDS_FIRST = CronDefinitionBuilder.defineCron()
            .withSeconds().and().withMinutes().and().withHours().and().withDayOfMonth().and().withMonth().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).and()
            .instance();
    private static final CronParser SIX_FIELDS = new CronParser(SECONDS_FIRST);
    /**
     * Local times looked at for one fire time: all of a repeated hour of an every-second expression (3,600) fit
     * with room to spare; an expression that matches nothing in that many steps is taken as never firing again.
     */
    private static final int MAX_STEPS = 100_000;

    private final ExecutionTime cron;
    private final long everySeconds;
    private final ZoneRules zone;
    private final Instant anchor;
    private final Instant start;
    private final Instant end;

    private ScheduleTimes(ExecutionTime cron, long everySeconds, ZoneId zone, Instant anchor, Instant start,
                          Instant end) {
        this.cron = cron;
        this.everySeconds = everySeconds;
        this.zone = zone.getRules();
        this.anchor = anchor;
        this.start = start;
        this.end = end;
    }

    /**
     * The fire times of a timing whose expression {@link #parse} accepted; {@code anchor} is where an interval
     * schedule counts from (its start, else when it was created or changed, in whole seconds).
     */
    static ScheduleTimes of(Timing timing, Instant anchor) {
        ExecutionTime cron = timing.cron() == null ? null : ExecutionTime.forCron(parse(timing.cron()));
        long every = timing.everySeconds() == null ? 0 : timing.everySeconds();
        return new ScheduleTimes(cron, every, timing.timeZone(), anchor, timing.startAt(), timing.endAt());
    }

    /**
     * A cron expression: five fields, or six with seconds first, matching some date (not {@code 0 0 31 2 *});
     * IllegalArgumentException with the reason if not.
     */
    static Cron parse(String expression) {
        String trimmed = expression.trim();
        CronParser parser = trimmed.split("\\s+").length == 6 ? SIX_FIELDS : FIVE_FIELDS;
        Cron cron = parser.parse(trimmed).validate();
        if (ExecutionTime.forCron(cron).nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .isEmpty()) {
            throw new IllegalArgumentException("it matches no date");
        }
        return cron;
    }

    /** Where an interval schedule created or changed at {@code now} counts from. */
    static Instant anchor(Timing timing, Instant now) {
        return timing.startAt() != null ? timing.startAt() : now.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The first fire time strictly after {@code after}; empty when there is none (past the end). */
    Optional<Instant> next(Instant after) {
        Instant from = start != null && start.isAfter(after) ? start.minusNanos(1) : after;
        Optional<Instant> next = cron != null ? nextCron(from) : Optional.of(nextInterval(from));
        return next.filter(t -> end == null || !t.isAfter(end));
    }

    /** The next {@code count} fire times after {@code after}. */
    List<Instant> next(Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Optional<Instant> next = next(after);
        while (next.isPresent() && times.size() < count) {
            times.add(next.get());
            next = next(next.get());
        }
        return times;
    }

    /**
     * The fire times from {@code from} to {@code until} (both included), newest first, at most {@code max} of them.
     */
    List<Instant> between(Instant from, Instant until, int max) {
        Instant last = end != null && end.isBefore(until) ? end : until;
        List<Instant> times = new ArrayList<>();
        Optional<Instant> t = atOrBefore(last);
        while (t.isPresent() && !t.get().isBefore(from) && (start == null || !t.get().isBefore(start))
                && times.size() < max) {
            times.add(t.get());
            t = atOrBefore(t.get().minusNanos(1));
        }
        return times;
    }

    private Instant nextInterval(Instant after) {
        long elapsed = after.getEpochSecond() - anchor.getEpochSecond();
        long steps = elapsed < 0 ? 0 : elapsed / everySeconds + 1;
        Instant next = anchor.plusSeconds(steps * everySeconds);
        return next.isAfter(after) ? next : next.plusSeconds(everySeconds);
    }

    private Optional<Instant> atOrBefore(Instant t) {
        if (cron == null) {
            if (t.isBefore(anchor)) {
                return Optional.empty();
            }
            long steps = (t.getEpochSecond() - anchor.getEpochSecond()) / everySeconds;
            Instant at = anchor.plusSeconds(steps * everySeconds);
            return Optional.of(at.isAfter(t) ? at.minusSeconds(everySeconds) : at);
        }
        return previousCron(t.plusNanos(1));
    }

    /** The first local time after {@code after}'s whose instant is after it (a repeated hour's second pass is passed). */
    private Optional<Instant> nextCron(Instant after) {
        ZonedDateTime local = local(after);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> candidate = cron.nextExecution(local);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            local = candidate.get();
            Instant instant = instant(local.toLocalDateTime());
            if (instant.isAfter(after)) {
                return Optional.of(instant);
            }
        }
        return Optional.empty();
    }

    /** The last fire time strictly before {@code before}. */
    private Optional<Instant> previousCron(Instant before) {
        ZonedDateTime local = local(before);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> candidate = cron.lastExecution(local);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            local = candidate.get();
            Instant instant = instant(local.toLocalDateTime());
            if (instant.isBefore(before)) {
                return Optional.of(instant);
            }
        }
        return Optional.empty();
    }

    /** The wall-clock time of the schedule's zone at {@code t}, as a UTC date-time for cron-utils. */
    private ZonedDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, zone.getOffset(t)).atZone(ZoneOffset.UTC);
    }

    /** The instant of a local time: skipped ones at the end of their gap, repeated ones at their first occurrence. */
    private Instant instant(LocalDateTime local) {
        List<ZoneOffset> offsets = zone.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = zone.getTransition(local);
            return gap.getInstant();
        }
        return local.toInstant(offsets.get(0));
    }
}
