package io.crewjvm.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Dates as Crew's clients read them: ISO-8601 UTC with milliseconds, e.g. 2022-11-14T20:15:46.123Z. */
public final class CrewTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CrewTime() {
    }

    public static String format(Instant time) {
        return time == null ? null : FORMAT.format(time);
    }
}
