package io.crewjvm.support.faults;

import io.crewjvm.support.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a service process holds, as Linux and PostgreSQL see it: its threads ({@code /proc/PID/task}), its open
 * files ({@code /proc/PID/fd}, sockets included) and its database sessions ({@code pg_stat_activity}). A fault that
 * leaks any of them shows as a level that stays up.
 */
public record ProcessGauges(long threads, long openFiles, long databaseSessions) {

    /** The gauges of process {@code pid}, whose sessions are every client session of the database but the caller's. */
    public static ProcessGauges of(long pid, Sql database) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        try (Stream<Path> tasks = Files.list(proc.resolve("task")); Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return new ProcessGauges(tasks.count(), fds.count(), database.count("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether every gauge is at most {@code slack} above {@code before}'s. */
    public boolean backTo(ProcessGauges before, long slack) {
        return threads <= before.threads + slack && openFiles <= before.openFiles + slack
                && databaseSessions <= before.databaseSessions + slack;
    }

    /** For a failure's message: the process's threads by name (numbers left out) and its open files by kind. */
    public static String details(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        Map<String, Long> threads = new TreeMap<>();
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task")); Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            tasks.forEach(task -> {
                try {
                    threads.merge(Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#"), 1L,
                            Long::sum);
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            });
            fds.forEach(fd -> {
                try {
                    files.merge(Files.readSymbolicLink(fd).toString().replaceAll(":\\[?[0-9]+\\]?$", ""), 1L,
                            Long::sum);
                } catch (IOException closed) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            return "(" + e + ")";
        }
        Map<String, Long> kinds = files.entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().startsWith("/") ? "file" : e.getKey(), Map.Entry::getValue, Long::sum, TreeMap::new));
        return "threads " + threads + ", files " + kinds;
    }
}
