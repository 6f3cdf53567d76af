package io.crewjvm.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The PostgreSQL server that runs on a data directory, as its {@code postmaster.pid} names it. */
final class Postmaster {

    private static final Logger LOG = Logger.getLogger(Postmaster.class);

    private final ProcessHandle process;

    private Postmaster(ProcessHandle process) {
        this.process = process;
    }

    /** The server running on the directory, if any: none, or a stale pid file, which PostgreSQL replaces itself. */
    static Optional<Postmaster> of(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).trim());
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
        // The pid may have been reused by another program since: only a postgres process counts.
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(Postmaster::new);
    }

    long pid() {
        return process.pid();
    }

    /**
     * PostgreSQL's fast shutdown (SIGINT: sessions end, a checkpoint is written), and a kill if the server still
     * runs after the wait, from which PostgreSQL recovers at its next start as from any crash.
     */
    void stop(Duration wait) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notStopped) {
            LOG.warnf("PostgreSQL pid %d did not stop within %d s: killing it", process.pid(), wait.toSeconds());
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}
