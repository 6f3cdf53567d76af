package io.crewjvm.client.demo;

import io.crewjvm.client.CrewClient;
import io.crewjvm.client.TaskLog;
import io.crewjvm.client.WorkerGroup;
import io.crewjvm.client.WorkerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** {@code crew work} and {@code crew demo}: {@code java -jar clients/java/target/crew-worker.jar COMMAND ...}. */
public final class Cli {

    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: crew COMMAND [OPTIONS]

              work   run the demo workers A, B and C (channels worker_a, worker_b, worker_c), at a tenth of
                     Crew's timings (--crew-timings for Crew's own)
              demo   create a task group with the demo DAG and print its dashboard page; --wait follows it
                     until it is complete (about 15 s), saying what it waits for

            crew COMMAND --help tells more.""";
    private static final String WORK_HELP = """
            Usage: crew work [--url URL] [--crew-timings | --time-scale F]

            Runs Crew's demo workers on the JVM worker client, one task at a time each. By default they take a
            tenth of the time Crew's took (time scale 0.1), so that crew demo --wait is done in about 15 s:
              Worker A   channel worker_a, 1 s per task (Crew's: 10 s)
              Worker B   channel worker_b, 0.2 s per task (Crew's: 2 s)
              Worker C   channel worker_c, 0.2 s per task (Crew's: 2 s), then a continuation of four children
                         (keys, a delayed child) that start 6 s later: childrenDelayInSeconds 6 (Crew's: 60)
            An input with "throw": "message" fails the task with that message. One line per task taken and
            released. SIGTERM or Ctrl-C stops taking tasks, lets the ones in hand finish (at most
            CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS, 30000) and exits 0.

              --url URL         the service (default: CREW_API_BASE_URL, else http://localhost:3000/)
              --crew-timings    Crew's own durations and delays (the same as --time-scale 1): the demo takes
                                about a minute and a half, its children wait 60 s
              --time-scale F    multiply Crew's durations and delays by F (default 0.1; e.g. 0.05 for a demo of
                                about 5 s)""";
    private static final String DEMO_HELP = """
            Usage: crew demo [--url URL] [--wait] [--timeout SECONDS]

            Creates a task group named for the local time ("Demo 2026-12-06 20:18:04") with the demo DAG: Task A
            (worker_a) and Task B (worker_b), then Task C (worker_c) after both, whose worker adds four children
            that start after its childrenDelayInSeconds: seven tasks. It prints the group's page on the
            dashboard (URL/dashboard/#/groups/ID). crew work runs the tasks, and its timings make the demo's:
            about 15 s by default, about a minute and a half with crew work --crew-timings.

              --url URL           the service (default: CREW_API_BASE_URL, else http://localhost:3000/)
              --wait              follow the group until it is complete, with a progress line while it runs;
                                  while tasks wait on the clock it says for what and how long, e.g.
                                  "waiting: 4 children of "Task C" start in 6 s (childrenDelayInSeconds)",
                                  or a runAfter, a workgroup's pause, an error delay
              --timeout SECONDS   with --wait, how long to wait (default 600)

            Exit codes: 0 created (with --wait: complete), 1 the group failed (the failed tasks and their errors
            are printed), 2 usage, 3 timed out, 4 the service is out of reach.""";

    private Cli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        String command = rest.isEmpty() ? "--help" : rest.pop();
        String help = switch (command) {
            case "work" -> WORK_HELP;
            case "demo" -> DEMO_HELP;
            case "--help", "-h", "help" -> USAGE_TEXT;
            default -> null;
        };
        if (help == null) {
            return usage(err, "Unknown command: " + command, USAGE_TEXT);
        }
        if (rest.contains("--help") || help.equals(USAGE_TEXT)) {
            out.println(help);
            return 0;
        }
        try {
            return command.equals("work") ? work(WorkArgs.parse(rest), out, err) : demo(DemoArgs.parse(rest), out, err);
        } catch (IllegalArgumentException badArgument) {
            return usage(err, badArgument.getMessage(), help);
        }
    }

    private record WorkArgs(URI url, double timeScale) {

        static WorkArgs parse(Deque<String> args) {
            URI url = WorkerOptions.fromEnvironment().url();
            Double timeScale = null;
            boolean crewTimings = false;
            while (!args.isEmpty()) {
                String option = args.pop();
                switch (option) {
                    case "--url" -> url = URI.create(value(args, option));
                    case "--crew-timings" -> crewTimings = true;
                    case "--time-scale" -> timeScale = number(value(args, option), option);
                    default -> throw new IllegalArgumentException("Unknown option: " + option);
                }
            }
            if (crewTimings && timeScale != null) {
                throw new IllegalArgumentException("--crew-timings and --time-scale do not go together");
            }
            if (timeScale != null && !(timeScale > 0 && timeScale < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("--time-scale must be positive");
            }
            return new WorkArgs(url, crewTimings ? DemoWorker.CREW_TIME_SCALE
                    : timeScale == null ? DemoWorker.DEFAULT_TIME_SCALE : timeScale);
        }

        private static double number(String text, String option) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException(option + " needs a number: " + text);
            }
        }
    }

    private record DemoArgs(URI url, boolean follow, Duration timeout) {

        static DemoArgs parse(Deque<String> args) {
            URI url = WorkerOptions.fromEnvironment().url();
            boolean wait = false;
            Duration timeout = Duration.ofMinutes(10);
            while (!args.isEmpty()) {
                String option = args.pop();
                switch (option) {
                    case "--url" -> url = URI.create(value(args, option));
                    case "--wait" -> wait = true;
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, option)));
                    default -> throw new IllegalArgumentException("Unknown option: " + option);
                }
            }
            return new DemoArgs(url, wait, timeout);
        }
    }

    private static int work(WorkArgs args, PrintStream out, PrintStream err) throws InterruptedException {
        WorkerOptions options = WorkerOptions.fromEnvironment().withUrl(args.url())
                .withListener(TaskLog.toConsole(out, err));
        WorkerGroup group = new WorkerGroup(options)
                .add(new WorkerA(args.timeScale()))
                .add(new WorkerB(args.timeScale()))
                .add(new WorkerC(args.timeScale()));
        out.println("Demo workers A, B and C on worker_a, worker_b and worker_c at " + options.url()
                + " (Ctrl-C to stop)");
        out.println(timings(args.timeScale()));
        group.runUntilSignal();
        out.println("Stopped.");
        return 0;
    }

    private static int demo(DemoArgs args, PrintStream out, PrintStream err) throws InterruptedException {
        CrewClient client = new CrewClient(args.url());
        String name = DemoDag.name(LocalDateTime.now());
        String group;
        try {
            group = DemoDag.create(client, name);
        } catch (IOException e) {
            err.println("The service at " + client.url() + " is out of reach: " + e);
            return GroupFollower.UNREACHABLE;
        }
        out.println("Created the demo group " + TaskLog.quoted(name) + " (" + group + "); crew work runs its tasks.");
        out.println("Its page on the dashboard: " + DemoDag.dashboardPage(client.url(), group));
        return args.follow() ? new GroupFollower(client, out, err).follow(group, args.timeout()) : 0;
    }

    /** E.g. {@code Timings: A 1 s per task, B 0.2 s, C 0.2 s, C's children start 6 s after it (...)}. */
    static String timings(double timeScale) {
        String scale = timeScale == DemoWorker.CREW_TIME_SCALE ? "Crew's own"
                : "time scale " + seconds(timeScale) + " of Crew's; --crew-timings for Crew's own";
        return "Timings: A " + seconds(10 * timeScale) + " s per task, B " + seconds(2 * timeScale) + " s, C "
                + seconds(2 * timeScale) + " s, C's children start " + WorkerC.childrenDelaySeconds(timeScale)
                + " s after it (" + scale + ")";
    }

    /** At most two decimals, no trailing zeros: 2, 0.4, 0.05. */
    private static String seconds(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String value(Deque<String> args, String option) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.pop();
    }

    private static int usage(PrintStream err, String problem, String help) {
        err.println(problem + "\n\n" + help);
        return USAGE;
    }
}
