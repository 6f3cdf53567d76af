package io.crewjvm.embedded;

import io.crewjvm.boot.StartFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One service per embedded data directory: a file beside it ({@code pgdata.lock} for {@code pgdata}: inside, it
 * would stop initdb, which wants an empty directory), locked for as long as the service runs and holding its pid,
 * so that a second start names the first. The operating system releases the lock when its
 * process dies, however it dies: a PostgreSQL still running on a directory whose lock could be taken has no
 * service left.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock take(Path dir) {
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new AccessDeniedException(dir.toString());
            }
            channel = FileChannel.open(file(dir), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw notWritable(dir, e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new StartFailure(StartFailure.DATA_DIR_IN_USE, "crew: another crew start" + holder + " is"
                        + " using the data directory " + dir + ": stop it, or give this one another directory with"
                        + " --data-dir DIR (CREW_EMBEDDED_DATA_DIR)", null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw notWritable(dir, e);
        }
    }

    static Path file(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".lock");
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldByThisProcess) {
            return null;
        }
    }

    /** " (pid N)" from the lock file, or nothing when the holder has not written it yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
    }

    private static StartFailure notWritable(Path dir, IOException e) {
        return new StartFailure(StartFailure.DATA_DIR_NOT_WRITABLE, "crew: the data directory " + dir + " cannot be"
                + " written (" + reason(e) + "): give the service one it can write with --data-dir DIR"
                + " (CREW_EMBEDDED_DATA_DIR) or CREW_HOME", e);
    }

    /** "/path: Not a directory", "/path: access denied", ... */
    private static String reason(IOException e) {
        String kind = e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase();
        if (e instanceof FileSystemException fs) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : kind);
        }
        return e.getMessage() == null ? kind : e.getMessage();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
