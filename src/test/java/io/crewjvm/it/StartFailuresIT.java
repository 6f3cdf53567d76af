package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.embedded.EmbeddedDatabase;
import io.crewjvm.support.ServiceProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started where it cannot run, as a newcomer's {@code crew start} is: each failure ends with
 * its own exit code and one sentence on stderr that says what happened and what to do, and nothing else: no stack
 * trace, no DEBUG or TRACE line, on either stream.
 */
class StartFailuresIT {

    private static final Pattern NOISE = Pattern.compile("Exception|\\tat |\\bTRACE\\b|\\bDEBUG\\b");
    private Path scratch;

    @BeforeEach
    void createScratch() throws Exception {
        scratch = Files.createTempDirectory("crew-start-failures");
    }

    @AfterEach
    void removeScratch() throws Exception {
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void a_taken_port_is_named_with_the_option_to_choose_another() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            Failed start = start(Map.of("PORT", String.valueOf(taken.getLocalPort()),
                    "CREW_EMBEDDED_EPHEMERAL", "true"));
            start.assertSaid(3, "crew: port " + taken.getLocalPort() + " is already in use (another crew start, or"
                    + " another program): stop it, or start on another port with --port N (PORT)");
        }
    }

    @Test
    void a_second_start_on_the_same_data_directory_names_the_first_one() throws Exception {
        Path dataDir = scratch.resolve("pgdata");
        try (ServiceProcess first = ServiceProcess.startEmbedded("start-failures-first", dataDir)) {
            Failed second = start(Map.of("PORT", "0", "CREW_EMBEDDED_DATA_DIR", dataDir.toString()));
            second.assertSaid(4, "crew: another crew start (pid " + first.pid() + ") is using the data directory "
                    + dataDir + ": stop it, or give this one another directory with --data-dir DIR"
                    + " (CREW_EMBEDDED_DATA_DIR)");
            assertEquals(200, first.readiness(), "the first service was disturbed");
        }
    }

    @Test
    void a_data_directory_that_cannot_be_written_is_named() throws Exception {
        // A path under a regular file: unwritable for root too, which a chmod is not.
        Path file = Files.createFile(scratch.resolve("a-file"));
        Path dataDir = file.resolve("pgdata");
        Failed start = start(Map.of("CREW_EMBEDDED_DATA_DIR", dataDir.toString()));
        start.assertSaid(6, "crew: the data directory " + dataDir + " cannot be written (" + dataDir + ": Not a"
                + " directory): give the service one it can write with --data-dir DIR (CREW_EMBEDDED_DATA_DIR) or"
                + " CREW_HOME");
    }

    @Test
    void a_database_that_nobody_listens_on_is_named_with_the_option_to_give_another() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/crew";
        Failed start = start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", url));
        start.assertSaid(5, "crew: cannot reach the database at " + url + " (Connection to 127.0.0.1:" + closed
                + " refused. Check that the hostname and port are correct and that the postmaster is accepting"
                + " TCP/IP connections): check that PostgreSQL runs there, or give another with --db JDBC_URL"
                + " (QUARKUS_DATASOURCE_JDBC_URL)");
    }

    @Test
    void credentials_the_database_refuses_are_named_and_a_missing_database_too() throws Exception {
        Path dataDir = scratch.resolve("passwords");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0, true)) {
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
                 Statement statement = connection.createStatement()) {
                statement.execute("ALTER ROLE postgres PASSWORD 'the-right-one'");
                Files.writeString(dataDir.resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all all all scram-sha-256\n");
                statement.execute("SELECT pg_reload_conf()");
            }
            String url = database.jdbcUrl().replaceFirst("\\?.*", "");
            Failed wrongPassword = start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "a-wrong-one"));
            wrongPassword.assertSaid(5, "crew: the database at " + url + " refused the credentials (FATAL: password"
                    + " authentication failed for user \"postgres\"): set QUARKUS_DATASOURCE_USERNAME and"
                    + " QUARKUS_DATASOURCE_PASSWORD");

            String missing = url.replaceFirst("/postgres$", "/nothing_here");
            Failed noDatabase = start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", missing,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "the-right-one"));
            noDatabase.assertSaid(5, "crew: FATAL: database \"nothing_here\" does not exist at " + missing + ":"
                    + " create it (createdb), or name another in --db JDBC_URL (QUARKUS_DATASOURCE_JDBC_URL)");
        }
    }

    @Test
    void verbose_shows_the_early_log_and_the_stack_trace_before_the_sentence() throws Exception {
        Path file = Files.createFile(scratch.resolve("a-file"));
        Failed start = start(Map.of("CREW_EMBEDDED_DATA_DIR", file.resolve("pgdata").toString(),
                "CREW_VERBOSE", "true"));
        assertEquals(6, start.exitCode, start.stderr);
        String[] lines = start.stderr.strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("crew: the data directory "), start.stderr);
        assertTrue(start.stderr.contains("\tat io.crewjvm.embedded.DataDirectoryLock"), start.stderr);
        assertTrue(start.stderr.contains(" DEBUG "), start.stderr);
    }

    /** A start that ended: its exit code and what it wrote. */
    private record Failed(int exitCode, String stdout, String stderr) {

        void assertSaid(int expectedCode, String sentence) {
            assertEquals(expectedCode, exitCode, stderr);
            assertEquals(sentence, stderr.strip());
            assertFalse(NOISE.matcher(stdout).find(), "noise on stdout:\n" + stdout);
        }
    }

    /** The packaged service with only these settings; it must exit within two minutes. */
    private Failed start(Map<String, String> settings) throws Exception {
        Path jar = Path.of(System.getProperty("crew.service.jar", "target/quarkus-app/quarkus-run.jar"));
        Path out = scratch.resolve("out");
        Path err = scratch.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("CREW_") || key.startsWith("QUARKUS_"));
        Map<String, String> all = new HashMap<>(Map.of("PORT", "0", "CREW_HOME", scratch.resolve("home").toString()));
        all.putAll(settings);
        env.putAll(all);
        Process service = builder.start();
        if (!service.waitFor(120, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
            throw new AssertionError("the service kept running: " + Files.readString(out));
        }
        return new Failed(service.exitValue(), Files.readString(out), Files.readString(err));
    }
}
