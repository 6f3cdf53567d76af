package io.crewjvm.client.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class DemoDagTest {

    @Test
    void the_group_is_named_for_the_local_time_to_the_second() {
        assertEquals("Demo 2026-12-06 20:18:04", DemoDag.name(LocalDateTime.of(2026, 12, 6, 20, 18, 4, 123_456_789)));
        assertEquals("Demo 2027-01-02 03:04:05", DemoDag.name(LocalDateTime.of(2027, 1, 2, 3, 4, 5)));
    }

    @Test
    void the_group_page_is_the_dashboards_hash_route_of_the_group() {
        assertEquals(URI.create("http://localhost:3000/dashboard/#/groups/6b15f11d9612106ae294f297"),
                DemoDag.dashboardPage(URI.create("http://localhost:3000/"), "6b15f11d9612106ae294f297"));
        assertEquals(URI.create("https://crew.example/prefix/dashboard/#/groups/abc"),
                DemoDag.dashboardPage(URI.create("https://crew.example/prefix"), "abc"));
    }
}
