package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.faults.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/schema.sql} is the schema that the migrations produce, as {@code pg_dump --schema-only} prints it,
 * so that a reader need not piece it together from the migrations. A migration that changes the schema must come
 * with the new snapshot: {@code ./mvnw test -Dtest=SchemaSnapshotTest -Dcrew.schema.write=true} writes it.
 */
class SchemaSnapshotTest {

    private static final Path SNAPSHOT = Path.of("docs", "schema.sql");
    private static final String HEADER = """
            -- The schema after every migration in src/main/resources/db/migration, as pg_dump --schema-only prints it
            -- (the flyway_schema_history table left out). Written by
            --   ./mvnw test -Dtest=SchemaSnapshotTest -Dcrew.schema.write=true
            -- and checked by the same test, which fails when a migration changes the schema without this file.
            """;

    @Test
    void the_snapshot_is_what_the_migrations_produce() throws Exception {
        String schema;
        try (PostgresServer db = PostgresServer.start()) {
            Flyway.configure().dataSource(db.jdbcUrl(), "postgres", "postgres").locations("classpath:db/migration")
                    .load().migrate();
            schema = HEADER + stable(db.dumpSchema());
        }
        if (Boolean.getBoolean("crew.schema.write")) {
            Files.writeString(SNAPSHOT, schema);
        }
        assertEquals(Files.readString(SNAPSHOT), schema, SNAPSHOT + " differs from what the migrations produce;"
                + " ./mvnw test -Dtest=SchemaSnapshotTest -Dcrew.schema.write=true writes it anew");
    }

    /** The dump without what changes from one run or one pg_dump release to the next. */
    private static String stable(String dump) {
        return dump.lines()
                .filter(line -> !line.startsWith("-- Dumped ") && !line.startsWith("\\restrict")
                        && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n", "", "\n"))
                .replaceAll("\n{3,}", "\n\n");
    }
}
