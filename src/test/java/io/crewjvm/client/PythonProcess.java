package io.crewjvm.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A Python script of the project run by python3, its output in a file. */
final class PythonProcess {

    private final Process process;
    private final Path log;

    private PythonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code python3 script args...}; fails clearly when python3 is missing. */
    static PythonProcess start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", script));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("python-worker", ".log");
        try {
            return new PythonProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start(), log);
        } catch (IOException noPython) {
            throw new AssertionError("python3 is needed on the PATH to test the Python client", noPython);
        }
    }

    /** Polls until the condition holds; fails at once, with the output, if the process ends first. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the Python worker exited (" + process.exitValue() + ") before " + what
                        + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting until " + what + "; the worker said:\n"
                        + output());
            }
            Thread.sleep(20);
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM; the exit code once it stopped. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Python worker did not stop within 30 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }
}
