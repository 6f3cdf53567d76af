package io.crewjvm.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A folder of the project with a package.json that pins a package and a lock file that pins the rest (compat/...):
 * installed with {@code npm ci} when the pinned version of the package is not there, so that a fresh clone tests
 * it with Node.js and npm alone. Node.js, npm or the registry missing is a failure that says so, never a skip.
 */
public final class NpmPackage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NpmPackage() {
    }

    /** The folder, with the version of {@code pinned} that its package.json names installed. */
    public static synchronized Path ready(Path folder, String pinned) throws IOException, InterruptedException {
        Path dir = folder.toAbsolutePath();
        Path manifest = dir.resolve("package.json");
        if (!Files.exists(manifest)) {
            throw new AssertionError("No " + manifest + ": run the tests from the project's directory");
        }
        String version = JSON.readTree(manifest.toFile()).path("dependencies").path(pinned).asText();
        Path installed = dir.resolve("node_modules").resolve(pinned).resolve("package.json");
        if (Files.exists(installed) && JSON.readTree(installed.toFile()).path("version").asText().equals(version)) {
            return dir;
        }
        Path log = Files.createTempFile("npm-ci", ".log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException noNpm) {
            throw new AssertionError("Node.js 18+ and npm are needed on the PATH for the tests of " + dir
                    + " (apt-get install -y nodejs npm; .ci/run installs them)", noNpm);
        }
        npm.getOutputStream().close();
        boolean ended = npm.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            npm.destroyForcibly();
        }
        if (!ended || npm.exitValue() != 0) {
            throw new AssertionError("npm ci in " + dir + (ended ? " failed (exit " + npm.exitValue() + ")"
                    : " did not finish in 5 min") + ":\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
        return dir;
    }
}
