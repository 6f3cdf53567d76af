package io.crewjvm;

import io.crewjvm.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * Starts an embedded PostgreSQL when no database is configured (Crew's {@code CREW_MONGO_URI=MEMORY}
 * counterpart), then the service. The database must be up before Quarkus opens its datasource, and stops only
 * after the service has finished its in-flight requests.
 */
@QuarkusMain
public class CrewMain {

    /** {@code crew start}'s exit code when the HTTP port is taken (bin/crew, crew start --help). */
    static final int EXIT_PORT_IN_USE = 3;

    public static void main(String... args) {
        EmbeddedDatabase embedded = EmbeddedDatabase.startIfNoDatabaseConfigured();
        // SIGTERM/SIGINT: a normal, graceful stop (in-flight requests finish) that exits 0, rather than the JVM's
        // shutdown-hook path, which exits 143 and runs the hooks (the embedded database's among them) in parallel.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> Quarkus.asyncExit(0));
        }
        Quarkus.run(null, (exitCode, failure) -> {
            if (embedded != null) {
                embedded.close();
            }
            QuarkusBindException portTaken = portTaken(failure);
            if (portTaken != null) {
                System.err.printf("crew: port %d is already in use (another crew start, or another program): stop it,"
                        + " or start on another port with --port N (PORT)%n", portTaken.getPort());
                System.exit(EXIT_PORT_IN_USE);
            }
            System.exit(exitCode);
        }, args);
    }

    /** The failure to listen on the HTTP port among a failed start's causes, else null. */
    private static QuarkusBindException portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof QuarkusBindException bind) {
                return bind;
            }
        }
        return null;
    }
}
