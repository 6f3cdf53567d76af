package io.crewjvm.client.demo;

import io.crewjvm.client.CrewClient;
import io.crewjvm.client.TaskLog;
import io.crewjvm.client.WorkerGroup;
import io.crewjvm.client.WorkerOptions;
import java.io.IOException;
import java.io.PrintStream;
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

              work   run the demo workers A, B and C (channels worker_a, worker_b, worker_c)
              demo   create a task group with the demo DAG, and follow it with --wait

            crew COMMAND --help tells more.""";
    private static final String WORK_HELP = """
            Usage: crew work [--url URL] [--time-scale F]

            Runs Crew's demo workers on the JVM worker client, one task at a time each:
              Worker A   channel worker_a, 10 s per task
              Worker B   channel worker_b, 2 s per task
              Worker C   channel worker_c, 2 s per task, then a continuation of four children (keys, a delayed
                         child, childrenDelayInSeconds 60)
            An input with "throw": "message" fails the task with that message. One line per task taken and
            released. SIGTERM or Ctrl-C stops taking tasks, lets the ones in hand finish (at most
            CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS, 30000) and exits 0.

              --url URL         the service (default: CREW_API_BASE_URL, else http://localhost:3000/)
              --time-scale F    multiply every duration and delay by F (e.g. 0.1 for a ten times faster demo)""";
    private static final String DEMO_HELP = """
            Usage: crew demo [--url URL] [--wait] [--timeout SECONDS]

            Creates a task group with the demo DAG: Task A (worker_a) and Task B (worker_b), then Task C
            (worker_c) after both, whose worker adds four children: seven tasks. crew work runs them.

              --url URL           the service (default: CREW_API_BASE_URL, else http://localhost:3000/)
              --wait              follow the group until it is complete, with a progress line while it runs
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
            double timeScale = 1;
            while (!args.isEmpty()) {
                String option = args.pop();
                switch (option) {
                    case "--url" -> url = URI.create(value(args, option));
                    case "--time-scale" -> timeScale = Double.parseDouble(value(args, option));
                    default -> throw new IllegalArgumentException("Unknown option: " + option);
                }
            }
            if (!(timeScale > 0)) {
                throw new IllegalArgumentException("--time-scale must be positive");
            }
            return new WorkArgs(url, timeScale);
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
