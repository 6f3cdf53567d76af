package io.crewjvm.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Authentication on: two admin tokens and one worker token. */
public class TokensConfigured implements QuarkusTestProfile {

    public static final String ADMIN = "admin-token-0f3a9c";
    public static final String OTHER_ADMIN = "second-admin-token-77b1";
    public static final String WORKER = "worker-token-5e2d18";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crew.auth.admin-tokens", ADMIN + ", " + OTHER_ADMIN, "crew.auth.worker-tokens", WORKER);
    }
}
