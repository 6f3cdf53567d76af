package io.crewjvm.embedded;

import io.crewjvm.boot.BootSetting;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server from Maven Central binaries, for a machine with nothing but a JDK.
 *
 * <p>Data lives in {@code CREW_EMBEDDED_DATA_DIR}, by default {@code pgdata} in Crew's home ({@code CREW_HOME}, else
 * {@code $HOME/.crew}, else {@code .crew} in the JVM's {@code user.home}) so a restart keeps the tasks;
 * {@code CREW_EMBEDDED_EPHEMERAL=true} uses a temporary directory that is removed on shutdown. One service runs on a
 * directory at a time ({@link DataDirectoryLock}); the server of a service that was killed is stopped by a watchdog
 * ({@link PostmasterWatchdog}), or else by the next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** A fast shutdown writes a checkpoint: seconds on a loaded machine with a busy cache. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final boolean ephemeral;
    private final DataDirectoryLock lock;
    private final Process watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, boolean ephemeral, DataDirectoryLock lock,
            Process watchdog) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
        this.lock = lock;
        this.watchdog = watchdog;
    }

    /** Starts the embedded server and points the datasource at it, unless a JDBC URL is configured. */
    public static EmbeddedDatabase startIfNoDatabaseConfigured() {
        if (BootSetting.value("quarkus.datasource.jdbc.url", null) != null) {
            return null;
        }
        boolean ephemeral = Boolean.parseBoolean(BootSetting.value("crew.embedded.ephemeral", "false"));
        String dataDir = BootSetting.value("crew.embedded.data-dir", crewHome().resolve("pgdata").toString());
        int port = Integer.parseInt(BootSetting.value("crew.embedded.port", "0"));
        EmbeddedDatabase db = start(ephemeral ? null : Path.of(dataDir), port, false);
        System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
        return db;
    }

    /** {@code CREW_HOME}, else {@code $HOME/.crew} (the JVM's user.home differs from it under sudo -E and in some
     * containers), else {@code .crew} in user.home. */
    static Path crewHome() {
        String crewHome = BootSetting.value("crew.home", null);
        if (crewHome != null) {
            return Path.of(crewHome);
        }
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".crew");
    }

    /**
     * Starts a server.
     *
     * @param dataDir where the cluster lives and is kept; {@code null} for a temporary one removed on close
     * @param port    0 for any free port
     * @param fast    trade durability for speed (tests only)
     */
    public static EmbeddedDatabase start(Path dataDir, int port, boolean fast) {
        Path dir;
        try {
            dir = dataDir != null ? dataDir : Files.createTempDirectory("crew-pg");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the embedded PostgreSQL", e);
        }
        DataDirectoryLock lock = DataDirectoryLock.take(dir);
        try {
            stopOrphan(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // close() stops the server itself, with a longer wait than the library's 5 s
                    .setRegisterShutdownHook(false)
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
            Process watchdog = Postmaster.of(dir).map(server -> PostmasterWatchdog.start(server.pid())).orElse(null);
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, dir, dataDir == null, lock, watchdog);
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
            return db;
        } catch (IOException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the process is about to report the failure and exit, which releases the lock anyway
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The server of a service that was killed, which the lock taken here shows to have no service left. */
    private static void stopOrphan(Path dir) throws IOException {
        Optional<Postmaster> orphan = Postmaster.of(dir);
        if (orphan.isPresent()) {
            LOG.warnf("The embedded PostgreSQL of a service that was killed still ran on %s (pid %d): stopping it",
                    dir, orphan.get().pid());
            orphan.get().stop(STOP_WAIT);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Stops the server (once: CrewMain after Quarkus stopped, else the shutdown hook) and its watchdog. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (watchdog != null) {
            watchdog.destroy();
        }
        try {
            Optional<Postmaster> server = Postmaster.of(dataDir);
            if (server.isPresent()) {
                server.get().stop(STOP_WAIT);
            }
            lock.close();
            if (ephemeral) {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(DataDirectoryLock.file(dataDir));
            }
        } catch (IOException e) {
            LOG.warnf("Embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }
}
