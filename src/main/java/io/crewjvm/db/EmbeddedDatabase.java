package io.crewjvm.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server from Maven Central binaries, for a machine with nothing but a JDK.
 *
 * <p>Data lives in {@code CREW_EMBEDDED_DATA_DIR} (default {@code ~/.crew/pgdata}) so a restart keeps the tasks;
 * {@code CREW_EMBEDDED_EPHEMERAL=true} uses a temporary directory that is removed on shutdown.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path ephemeralDir;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path ephemeralDir) {
        this.postgres = postgres;
        this.ephemeralDir = ephemeralDir;
    }

    /** Starts the embedded server and points the datasource at it, unless a JDBC URL is configured. */
    public static EmbeddedDatabase startIfNoDatabaseConfigured() {
        if (setting("quarkus.datasource.jdbc.url", null) != null) {
            return null;
        }
        boolean ephemeral = Boolean.parseBoolean(setting("crew.embedded.ephemeral", "false"));
        String dataDir = setting("crew.embedded.data-dir",
                Path.of(System.getProperty("user.home"), ".crew", "pgdata").toString());
        int port = Integer.parseInt(setting("crew.embedded.port", "0"));
        EmbeddedDatabase db = start(ephemeral ? null : Path.of(dataDir), port, false);
        System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
        return db;
    }

    /**
     * Starts a server.
     *
     * @param dataDir where the cluster lives and is kept; {@code null} for a temporary one removed on close
     * @param port    0 for any free port
     * @param fast    trade durability for speed (tests only)
     */
    public static EmbeddedDatabase start(Path dataDir, int port, boolean fast) {
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("crew-pg");
            Files.createDirectories(dir);
            OrphanedPostmaster.stopIfAny(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true) // a fallback: CrewMain closes it after Quarkus stopped
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("timezone", "UTC");
            if (port > 0) {
                builder.setPort(port);
            }
            // The library's defaults favour test speed over durability: say what we want either way.
            String durable = fast ? "off" : "on";
            builder.setServerConfig("fsync", durable)
                    .setServerConfig("synchronous_commit", durable)
                    .setServerConfig("full_page_writes", durable);
            EmbeddedPostgres postgres = builder.start();
            LOG.infof("Embedded PostgreSQL on port %d, data in %s%s", postgres.getPort(), dir,
                    dataDir == null ? " (ephemeral)" : "");
            return new EmbeddedDatabase(postgres, dataDir == null ? dir : null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
            if (ephemeralDir != null) {
                try (Stream<Path> files = Files.walk(ephemeralDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }

    /** A setting from a system property or its environment-variable form, before Quarkus config exists. */
    private static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
