package io.crewjvm.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One readable line per task taken and per task released, and one per trouble. A task's name is quoted as a JSON
 * string ({@link #quoted}), so that a name with quotes in it reads unambiguously.
 */
public final class TaskLog implements TaskListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final System.Logger LOGGER = System.getLogger(WorkerGroup.class.getName());

    private final Consumer<String> info;
    private final Consumer<String> warning;

    private TaskLog(Consumer<String> info, Consumer<String> warning) {
        this.info = info;
        this.warning = warning;
    }

    /** Lines to the JDK's platform logger ({@code java.util.logging} unless the application routes it). */
    public static TaskLog toLogger() {
        return new TaskLog(line -> LOGGER.log(System.Logger.Level.INFO, line),
                line -> LOGGER.log(System.Logger.Level.WARNING, line));
    }

    /** Lines to a console, each with the time of day. */
    public static TaskLog toConsole(PrintStream out, PrintStream err) {
        return new TaskLog(line -> out.println(LocalTime.now().format(CLOCK) + " " + line),
                line -> err.println(LocalTime.now().format(CLOCK) + " " + line));
    }

    @Override
    public void taken(String workerId, LeasedTask task) {
        info.accept(String.format("%s took     %s", workerId, describe(task)));
    }

    @Override
    public void released(String workerId, LeasedTask task, Released outcome, Duration took) {
        String verb = switch (outcome.kind()) {
            case COMPLETED -> "completed";
            case FAILED -> "failed   ";
            case DROPPED -> "dropped  ";
        };
        String line = String.format(Locale.ROOT, "%s %s %s after %.1f s%s", workerId, verb, describe(task),
                took.toMillis() / 1000.0, outcome.detail() == null ? "" : ": " + outcome.detail());
        (outcome.kind() == Released.Kind.DROPPED ? warning : info).accept(line);
    }

    @Override
    public void trouble(String workerId, String what, Throwable cause) {
        warning.accept(workerId + " " + what + ": " + cause);
    }

    /** A task's name (or any text) as a JSON string: {@code Child ' " D} reads {@code "Child ' \" D"}. */
    public static String quoted(String name) {
        try {
            return Json.MAPPER.writeValueAsString(name);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("A string could not be written as JSON", impossible);
        }
    }

    private static String describe(LeasedTask task) {
        return quoted(task.name()) + " " + task.id() + (task.attempt() == null ? "" : " attempt " + task.attempt());
    }
}
