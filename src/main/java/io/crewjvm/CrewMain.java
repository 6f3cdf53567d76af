package io.crewjvm;

import io.crewjvm.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts an embedded PostgreSQL when no database is configured (Crew's {@code CREW_MONGO_URI=MEMORY}
 * counterpart), then the service. The database must be up before Quarkus opens its datasource.
 */
@QuarkusMain
public class CrewMain {

    public static void main(String... args) {
        EmbeddedDatabase embedded = EmbeddedDatabase.startIfNoDatabaseConfigured();
        try {
            Quarkus.run(args);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
