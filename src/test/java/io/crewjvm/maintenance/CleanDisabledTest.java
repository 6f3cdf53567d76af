package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;

import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CREW_CLEAN_EXPIRED_GROUPS=no and CREW_USE_EXTERNAL_CRON=yes, as Crew reads them. */
@QuarkusTest
@TestProfile(CleanDisabledTest.Disabled.class)
class CleanDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crew.clean-expired-groups", "no", "crew.use-external-cron", "yes");
        }
    }

    @Inject
    Sql sql;

    @Test
    void clean_deletes_nothing_when_disabled() {
        String old = createGroup(unique("old"));
        sql.execute("UPDATE task_group SET created_at = now() - interval '30 days' WHERE id = ?", old);
        given().when().post("/api/v1/clean").then().statusCode(200);
        get("/api/v1/task_group/" + old).then().statusCode(200);
    }

    @Test
    void with_an_external_cron_no_lease_is_reclaimed_by_this_replica() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = io.crewjvm.support.Api.createTask(group, "t", channel);
        io.crewjvm.support.Api.post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "leaseSeconds", 1)).then().statusCode(200);
        Thread.sleep(2500);
        org.junit.jupiter.api.Assertions.assertEquals("running",
                sql.text("SELECT state::text FROM task WHERE id = ?", id));
        given().when().get("/api/v1/bootstrap").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals("ready",
                sql.text("SELECT state::text FROM task WHERE id = ?", id));
    }
}
