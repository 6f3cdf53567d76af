package io.crewjvm.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * Fire times around daylight-saving transitions, computed in the schedule's zone whatever the JVM's (the build runs
 * it in America/Los_Angeles): a skipped local time fires at the end of the gap, a repeated one at its first
 * occurrence, each exactly once.
 */
class ScheduleTimesTest {

    private static ScheduleTimes cron(String expression, String zone, String start) {
        Instant startAt = Instant.parse(start);
        return ScheduleTimes.of(new Timing(expression, null, ZoneId.of(zone), startAt, null), startAt);
    }

    private static List<Instant> instants(String... times) {
        return java.util.Arrays.stream(times).map(Instant::parse).toList();
    }

    private static List<Instant> reversed(List<Instant> times) {
        List<Instant> copy = new java.util.ArrayList<>(times);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void the_jvm_runs_in_a_zone_of_its_own() {
        assertEquals("America/Los_Angeles", TimeZone.getDefault().getID());
    }

    @Test
    void new_york_0230_on_spring_forward_day_fires_once_at_the_end_of_the_gap() {
        // 2027-03-14 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day.
        assertEquals(instants("2027-03-13T07:30:00Z", "2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z"),
                cron("30 2 * * *", "America/New_York", "2027-03-13T00:00:00Z").next(
                        Instant.parse("2027-03-13T00:00:00Z"), 3));
    }

    @Test
    void new_york_0230_on_fall_back_day_fires_once() {
        // 2027-11-07 02:00 EDT falls back to 01:00 EST: 01:00-01:59 repeats, 02:30 happens once, in EST.
        assertEquals(instants("2027-11-06T06:30:00Z", "2027-11-07T07:30:00Z", "2027-11-08T07:30:00Z"),
                cron("30 2 * * *", "America/New_York", "2027-11-06T00:00:00Z").next(
                        Instant.parse("2027-11-06T00:00:00Z"), 3));
    }

    @Test
    void berlin_0230_on_spring_forward_day_fires_once_at_the_end_of_the_gap() {
        // 2027-03-28 02:00 CET jumps to 03:00 CEST.
        assertEquals(instants("2027-03-27T01:30:00Z", "2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z"),
                cron("30 2 * * *", "Europe/Berlin", "2027-03-27T00:00:00Z").next(
                        Instant.parse("2027-03-27T00:00:00Z"), 3));
    }

    @Test
    void berlin_0230_on_fall_back_day_fires_once_at_its_first_occurrence() {
        // 2027-10-31 03:00 CEST falls back to 02:00 CET: 02:30 happens twice; it fires at 02:30 CEST only.
        assertEquals(instants("2027-10-30T00:30:00Z", "2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"),
                cron("30 2 * * *", "Europe/Berlin", "2027-10-30T00:00:00Z").next(
                        Instant.parse("2027-10-30T00:00:00Z"), 3));
    }

    @Test
    void a_repeated_hour_fires_each_local_time_once_and_a_skipped_hour_once_at_its_end() {
        ScheduleTimes quarterly = cron("*/15 * * * *", "America/New_York", "2027-11-07T05:00:00Z");
        // 01:00-01:45 EDT (05:00Z-05:45Z), then 02:00 EST (07:00Z): the second 01:xx (EST) does not fire again.
        assertEquals(instants("2027-11-07T05:15:00Z", "2027-11-07T05:30:00Z", "2027-11-07T05:45:00Z",
                "2027-11-07T07:00:00Z"), quarterly.next(Instant.parse("2027-11-07T05:00:00Z"), 4));
        ScheduleTimes spring = cron("*/15 * * * *", "America/New_York", "2027-03-14T06:00:00Z");
        assertEquals(instants("2027-03-14T06:45:00Z", "2027-03-14T07:00:00Z", "2027-03-14T07:15:00Z"),
                spring.next(Instant.parse("2027-03-14T06:30:00Z"), 3));
    }

    @Test
    void fire_times_between_two_instants_come_newest_first_and_agree_with_next() {
        ScheduleTimes quarterly = cron("*/15 * * * *", "America/New_York", "2027-11-07T04:00:00Z");
        List<Instant> forward = quarterly.next(Instant.parse("2027-11-07T04:59:59Z"), 6);
        List<Instant> backward = quarterly.between(forward.get(0), forward.get(5), 100);
        assertEquals(forward, reversed(backward));
        assertEquals(forward.subList(4, 6), reversed(quarterly.between(forward.get(0), forward.get(5), 2)));
    }

    @Test
    void six_fields_put_seconds_first() {
        assertEquals(instants("2030-01-01T00:00:05Z", "2030-01-01T00:00:10Z"),
                cron("*/5 * * * * *", "UTC", "2030-01-01T00:00:00Z").next(Instant.parse("2030-01-01T00:00:00Z"), 2));
    }

    @Test
    void the_start_itself_is_a_fire_time_and_nothing_fires_after_the_end() {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        ScheduleTimes every = ScheduleTimes.of(new Timing(null, 60, ZoneId.of("UTC"), start,
                Instant.parse("2030-01-01T00:02:00Z")), start);
        assertEquals(instants("2030-01-01T00:00:00Z", "2030-01-01T00:01:00Z", "2030-01-01T00:02:00Z"),
                every.next(Instant.parse("2029-12-31T00:00:00Z"), 10));
        assertEquals(instants("2030-01-01T00:02:00Z", "2030-01-01T00:01:00Z"),
                every.between(Instant.parse("2030-01-01T00:00:30Z"), Instant.parse("2030-01-01T05:00:00Z"), 10));
    }

    @Test
    void bad_expressions_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> ScheduleTimes.parse("61 * * * *"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleTimes.parse("* * * *"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleTimes.parse("every day"));
    }
}
