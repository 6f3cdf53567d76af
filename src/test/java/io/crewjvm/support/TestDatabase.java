package io.crewjvm.support;

import io.crewjvm.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.logging.Logger;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The database of a test run, chosen in this order: an explicit JDBC URL ({@code CREW_TEST_JDBC_URL}, with
 * {@code CREW_TEST_JDBC_USER} / {@code CREW_TEST_JDBC_PASSWORD}), Testcontainers when a Docker engine exists,
 * else an embedded PostgreSQL. One database serves the whole run; tests isolate themselves by their own
 * groups and channels.
 *
 * <p>Database sessions run in a zone far from UTC, and the JVM (see the Surefire configuration) in another one,
 * so that every test exercises "database clock and JVM clock in different zones".
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String SESSION_TIME_ZONE = "Pacific/Chatham";
    private static final Logger LOG = Logger.getLogger(TestDatabase.class);
    private static Map<String, String> config;

    @Override
    public synchronized Map<String, String> start() {
        if (config == null) {
            config = startDatabase();
        }
        return config;
    }

    @Override
    public void stop() {
        // Kept for the whole run: the embedded server stops with the JVM, a container with Ryuk.
    }

    private static Map<String, String> startDatabase() {
        String url = System.getenv("CREW_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            LOG.info("Tests use the database at " + url);
            return datasource(url, env("CREW_TEST_JDBC_USER", "postgres"), env("CREW_TEST_JDBC_PASSWORD", "postgres"));
        }
        if (dockerConfigured()) {
            try {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
                container.start();
                LOG.info("Tests use a Testcontainers PostgreSQL");
                return datasource(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            } catch (RuntimeException | LinkageError noDocker) {
                LOG.info("No usable Docker engine (" + noDocker.getMessage() + "): tests use an embedded PostgreSQL");
            }
        } else {
            LOG.info("No Docker engine configured: tests use an embedded PostgreSQL");
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(null, 0, true);
        return datasource(embedded.jdbcUrl(), "postgres", "postgres");
    }

    /** Whether Testcontainers has a Docker endpoint to try (probing without one logs a wall of errors). */
    private static boolean dockerConfigured() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }

    private static Map<String, String> datasource(String url, String user, String password) {
        return Map.of("quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password,
                // pgjdbc would give each session the JVM's zone; this one must differ from it. The plan cache mode
                // is the service's own (application.properties).
                "quarkus.datasource.jdbc.new-connection-sql",
                "SET TimeZone TO '" + SESSION_TIME_ZONE + "'; SET plan_cache_mode = force_generic_plan; SET jit = off");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
