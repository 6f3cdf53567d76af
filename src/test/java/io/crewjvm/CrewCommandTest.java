package io.crewjvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/crew answers help and usage errors without building or starting anything. */
class CrewCommandTest {

    private record Run(int exit, String output) {
    }

    private static Run crew(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "bin/crew";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    @Test
    void help_lists_the_commands() throws Exception {
        Run help = crew("--help");
        assertEquals(0, help.exit());
        for (String command : new String[] {"start", "work", "demo"}) {
            assertTrue(help.output().contains("\n  " + command + " "), help.output());
        }
    }

    @Test
    void start_help_names_its_options_and_the_embedded_database() throws Exception {
        Run help = crew("start", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("--port N") && help.output().contains("--db JDBC_URL")
                && help.output().contains("--data-dir DIR") && help.output().contains("--verbose")
                && help.output().contains("embedded PostgreSQL"), help.output());
        for (String code : new String[] {"3  the HTTP port", "4  another crew start", "5  the database",
            "6  the data directory"}) {
            assertTrue(help.output().contains("\n  " + code), help.output());
        }
    }

    @Test
    void unknown_commands_and_options_exit_2_with_the_usage() throws Exception {
        Run unknown = crew("fly");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.output().contains("Unknown command: fly") && unknown.output().contains("Usage: crew"));
        Run badOption = crew("start", "--colour", "blue");
        assertEquals(2, badOption.exit());
        assertTrue(badOption.output().contains("Unknown option: --colour"), badOption.output());
    }
}
