package io.crewjvm.support.faults;

import io.crewjvm.support.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a service process holds, as Linux and PostgreSQL see it: its threads, its open files ({@code /proc/PID/fd},
 * sockets included) and its database sessions. A fault that leaks any of them shows as a level that stays up.
 */
public record ProcessGauges(long threads, long openFiles, long databaseSessions) {

    /** The gauges of process {@code pid}, whose sessions are every client session of the database but the caller's. */
    public static ProcessGauges of(long pid, Sql database) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            long threads = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Threads:"))
                    .mapToLong(l -> Long.parseLong(l.substring("Threads:".length()).trim())).findFirst()
                    .orElseThrow();
            return new ProcessGauges(threads, fds.count(), database.count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether every gauge is at most {@code slack} above {@code before}'s. */
    public boolean backTo(ProcessGauges before, long slack) {
        return threads <= before.threads + slack && openFiles <= before.openFiles + slack
                && databaseSessions <= before.databaseSessions + slack;
    }
}
