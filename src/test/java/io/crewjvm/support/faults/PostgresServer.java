package io.crewjvm.support.faults;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster that a test can stop and start under a running service: initdb in a temporary
 * directory, {@code pg_ctl} for the rest. It uses the newest server binaries under /usr/lib/postgresql (Debian's
 * {@code postgresql} package; {@code .ci/run} installs it) and runs as {@code postgres} when the tests run as root,
 * since PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Creates the cluster and starts it on a free port of 127.0.0.1. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("crew-faults-pg");
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        PostgresServer server = new PostgresServer(bin, dir, Ports.free());
        server.asPostgres(false, "chown", "-R", "postgres", dir.toString());
        server.asPostgres(true, bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
                "-A", "trust", "--no-sync");
        server.startAgain();
        return server;
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    /** The URL of the database {@code postgres} on another port of 127.0.0.1: a proxy in front of this server. */
    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the stopped cluster again on the same port and data. */
    public void startAgain() throws IOException, InterruptedException {
        asPostgres(true, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("pg.log")
                .toString(), "-w", "-t", "60", "start", "-o", "-p " + port + " -k " + dir
                + " -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c shared_buffers=128MB");
    }

    /** Stops it: {@code fast} disconnects every session and aborts their transactions, as a restart does. */
    public void stop() throws IOException, InterruptedException {
        asPostgres(true, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    /** {@code pg_dump --schema-only} of the database {@code postgres}, as the server's own pg_dump prints it. */
    public String dumpSchema() throws IOException, InterruptedException {
        Path dump = dir.resolve("schema.sql");
        asPostgres(true, bin.resolve("pg_dump").toString(), "--schema-only", "--no-owner", "--no-privileges",
                "--exclude-table=flyway_schema_history", "--file=" + dump, "--host=127.0.0.1", "--port=" + port,
                "--username=postgres", "postgres");
        return Files.readString(dump);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asPostgres(false, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w",
                    "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void asPostgres(boolean mustSucceed, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !command[0].equals("chown")) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        } else if (!root && command[0].equals("chown")) {
            return; // not root: the cluster runs as this user, who owns the directory already
        }
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(dir.resolve("commands.log").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + line);
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new IllegalStateException(line + " exited " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("commands.log")));
        }
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("PostgreSQL server binaries are missing: apt-get install -y postgresql");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no pg_ctl under " + root));
        }
    }

    /** Free TCP ports on 127.0.0.1. */
    public static final class Ports {
        private Ports() {
        }

        public static int free() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
