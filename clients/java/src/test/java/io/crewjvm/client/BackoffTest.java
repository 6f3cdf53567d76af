package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delays_double_between_half_and_all_of_their_ceiling_up_to_the_maximum_and_restart_after_a_reset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int round = 0; round < 50; round++) {
            for (long ceiling : ceilings) {
                long delay = backoff.next().toMillis();
                assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " outside [" + ceiling / 2 + ", "
                        + ceiling + "]");
            }
            backoff.reset();
        }
    }

    @Test
    void jittered_intervals_stay_within_the_fraction() {
        for (int i = 0; i < 200; i++) {
            long millis = Backoff.jittered(Duration.ofMillis(1000), 0.2).toMillis();
            assertTrue(millis >= 800 && millis <= 1200, String.valueOf(millis));
        }
    }
}
