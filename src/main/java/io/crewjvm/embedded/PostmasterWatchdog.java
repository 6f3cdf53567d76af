package io.crewjvm.embedded;

import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * A service killed with SIGKILL (or crashed) cannot stop its embedded PostgreSQL, which would run on, holding its
 * memory and port, until the next start stops it. This small shell loop, started beside the server, outlives such a
 * service: once the service's process is gone it asks PostgreSQL for a fast shutdown (if that pid is still a
 * postgres process), within about a second. A service that stops normally ends the watchdog first.
 */
final class PostmasterWatchdog {

    private static final Logger LOG = Logger.getLogger(PostmasterWatchdog.class);

    private PostmasterWatchdog() {
    }

    /** The watchdog's process, or null where no POSIX shell runs it (the next start still stops an orphan). */
    static Process start(long postmasterPid) {
        long service = ProcessHandle.current().pid();
        String script = String.format("while kill -0 %1$d 2>/dev/null; do sleep 1; done;"
                + " ps -p %2$d -o comm= 2>/dev/null | grep -q postgres && kill -INT %2$d", service, postmasterPid);
        try {
            return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.debugf("No watchdog for the embedded PostgreSQL (%s): a killed service leaves it to the next start",
                    e.getMessage());
            return null;
        }
    }
}
