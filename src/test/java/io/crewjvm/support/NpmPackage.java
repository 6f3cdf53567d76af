package io.crewjvm.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A folder of the project with a package.json and its lock file (compat/...): its npm packages installed with
 * {@code npm ci} the first time a test needs them, so that a fresh clone tests them with Node.js and npm alone.
 */
public final class NpmPackage {

    private NpmPackage() {
    }

    /** The folder, its node_modules holding the given package; fails clearly without Node.js or the registry. */
    public static synchronized Path ready(String folder, String requiredPackage) throws IOException,
            InterruptedException {
        Path dir = Path.of(folder).toAbsolutePath();
        if (Files.isDirectory(dir.resolve("node_modules").resolve(requiredPackage))) {
            return dir;
        }
        Path log = Files.createTempFile("npm-ci", ".log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException noNpm) {
            throw new AssertionError("Node.js and npm are needed on the PATH for the tests of " + folder, noNpm);
        }
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new AssertionError("npm ci failed in " + folder + ":\n" + Files.readString(log));
        }
        return dir;
    }
}
