package io.crewjvm;

import io.crewjvm.boot.BootSetting;
import io.crewjvm.boot.StartFailures;
import io.crewjvm.embedded.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * Starts an embedded PostgreSQL when no database is configured (Crew's {@code CREW_MONGO_URI=MEMORY}
 * counterpart), then the service. The database must be up before Quarkus opens its datasource, and stops only
 * after the service has finished its in-flight requests. A start that fails ends with one sentence and an exit
 * code of its own ({@link StartFailures}).
 */
@QuarkusMain
public class CrewMain {

    public static void main(String... args) {
        boolean verbose = Boolean.parseBoolean(BootSetting.value("crew.verbose", "false"));
        EmbeddedDatabase embedded;
        try {
            embedded = EmbeddedDatabase.startIfNoDatabaseConfigured();
        } catch (RuntimeException e) {
            StartFailures.exit(e, verbose);
            return;
        }
        // SIGTERM/SIGINT: a normal, graceful stop (in-flight requests finish) that exits 0, rather than the JVM's
        // shutdown-hook path, which exits 143 and runs the hooks (the embedded database's among them) in parallel.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> Quarkus.asyncExit(0));
        }
        Quarkus.run(null, (exitCode, failure) -> {
            if (embedded != null) {
                embedded.close();
            }
            if (failure != null) {
                StartFailures.exit(failure, verbose);
            }
            System.exit(exitCode);
        }, args);
    }
}
