package io.crewjvm.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens ({@code CREW_AUTH_ADMIN_TOKENS}, {@code CREW_AUTH_WORKER_TOKENS}, comma-separated). With none
 * configured, authentication is off.
 */
@ConfigMapping(prefix = "crew.auth")
public interface AuthConfig {

    /** Tokens that may do everything. */
    Optional<List<String>> adminTokens();

    /** Tokens that may run the worker protocol and read tasks. */
    Optional<List<String>> workerTokens();
}
