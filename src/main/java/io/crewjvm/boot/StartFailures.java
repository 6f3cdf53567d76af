package io.crewjvm.boot;

import io.quarkus.bootstrap.logging.InitialConfigurator;
import io.quarkus.bootstrap.logging.QuarkusDelayedHandler;
import io.quarkus.runtime.QuarkusBindException;
import java.sql.SQLException;
import java.util.logging.Handler;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Ends a failed start with one sentence on stderr and the exit code of its reason. The stack trace and the log
 * records queued before Quarkus configured its logging (DEBUG and TRACE among them, which the log manager would
 * otherwise dump on stderr at exit) come before it only with {@code --verbose} ({@code CREW_VERBOSE=true}).
 */
public final class StartFailures {

    private StartFailures() {
    }

    public static void exit(Throwable failure, boolean verbose) {
        StartFailure reason = explain(failure);
        QuarkusDelayedHandler queued = InitialConfigurator.DELAYED_HANDLER;
        if (!queued.isActivated()) {
            queued.setHandlers(verbose ? new Handler[] {stderr()} : new Handler[0]);
        }
        if (verbose) {
            failure.printStackTrace();
        }
        System.err.println(reason.getMessage()); // last, where a reader of a terminal looks first
        System.exit(reason.exitCode());
    }

    /** The reason among the failure's causes that a user can act on, else a sentence with the root cause. */
    static StartFailure explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartFailure known) {
                return known;
            }
            if (t instanceof QuarkusBindException bind) {
                return new StartFailure(StartFailure.PORT_IN_USE, "crew: port " + bind.getPort() + " is already in use"
                        + " (another crew start, or another program): stop it, or start on another port with --port N"
                        + " (PORT)", failure);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                StartFailure refused = databaseRefused(sql, failure);
                if (refused != null) {
                    return refused;
                }
            }
        }
        return new StartFailure(StartFailure.OTHER, "crew: the service did not start: " + oneLine(rootOf(failure))
                + " (crew start --verbose shows the details)", failure);
    }

    private static StartFailure databaseRefused(SQLException sql, Throwable failure) {
        String url = databaseUrl();
        String why = oneLine(sql);
        String state = sql.getSQLState();
        if (state.startsWith("28")) { // invalid authorization
            return new StartFailure(StartFailure.DATABASE_REFUSED, "crew: the database at " + url + " refused the"
                    + " credentials (" + why + "): set QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD",
                    failure);
        }
        if (state.startsWith("08")) { // connection exception
            return new StartFailure(StartFailure.DATABASE_REFUSED, "crew: cannot reach the database at " + url + " ("
                    + why + "): check that PostgreSQL runs there, or give another with --db JDBC_URL"
                    + " (QUARKUS_DATASOURCE_JDBC_URL)", failure);
        }
        if (state.equals("3D000")) { // invalid catalog name
            return new StartFailure(StartFailure.DATABASE_REFUSED, "crew: " + why + " at " + url + ": create it"
                    + " (createdb), or name another in --db JDBC_URL (QUARKUS_DATASOURCE_JDBC_URL)", failure);
        }
        return null;
    }

    /** The configured JDBC URL, with any password in it hidden. */
    private static String databaseUrl() {
        return BootSetting.value("quarkus.datasource.jdbc.url", "(no URL)").replaceAll("(?i)(password=)[^&;]*",
                "$1***");
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\.$", "");
    }

    private static Handler stderr() {
        return new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR,
                new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n"));
    }
}
