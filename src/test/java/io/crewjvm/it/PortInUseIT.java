package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started on a port another program holds, as a second {@code crew start} is: it exits with
 * code 3 and one sentence on stderr that names the port and {@code --port}, and no stack trace.
 */
class PortInUseIT {

    @Test
    void a_start_on_a_taken_port_says_so_in_one_sentence_and_exits_3() throws Exception {
        Path jar = Path.of(System.getProperty("crew.service.jar", "target/quarkus-app/quarkus-run.jar"));
        Path out = Files.createTempFile("port-in-use", ".out");
        Path err = Files.createTempFile("port-in-use", ".err");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-jar", jar.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("CREW_") || key.startsWith("QUARKUS_"));
            builder.environment().put("PORT", String.valueOf(taken.getLocalPort()));
            builder.environment().put("CREW_EMBEDDED_EPHEMERAL", "true");
            Process service = builder.start();
            assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the service kept running on a taken port");

            String stderr = Files.readString(err).trim();
            assertEquals(3, service.exitValue(), stderr);
            assertEquals("crew: port " + taken.getLocalPort() + " is already in use (another crew start, or another "
                    + "program): stop it, or start on another port with --port N (PORT)", stderr);
            assertFalse(Files.readString(out).contains("Exception"), "a stack trace in the output");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
