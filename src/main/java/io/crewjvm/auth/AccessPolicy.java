package io.crewjvm.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Arrays;

/**
 * The two access levels that application.properties assigns to paths ({@code quarkus.http.auth.permission.*}):
 * everything not listed there is for admins. With authentication off, both admit every request without looking
 * at its identity. An anonymous request they refuse gets 401, a token of the wrong role 403.
 */
public abstract class AccessPolicy implements HttpSecurityPolicy {

    private static final Uni<CheckResult> PERMIT = CheckResult.permit();

    private final Tokens tokens;
    private final String[] roles;

    AccessPolicy(Tokens tokens, Role... roles) {
        this.tokens = tokens;
        this.roles = Arrays.stream(roles).map(Role::roleName).toArray(String[]::new);
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        if (!tokens.enabled()) {
            return PERMIT;
        }
        return identity.map(this::check);
    }

    private CheckResult check(SecurityIdentity identity) {
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return CheckResult.PERMIT;
            }
        }
        return CheckResult.DENY;
    }

    /** Admin tokens only. */
    @Singleton
    public static class Admin extends AccessPolicy {

        Admin(Tokens tokens) {
            super(tokens, Role.ADMIN);
        }

        @Override
        public String name() {
            return "crew-admin";
        }
    }

    /** Worker or admin tokens: the worker protocol and reading tasks. */
    @Singleton
    public static class Worker extends AccessPolicy {

        Worker(Tokens tokens) {
            super(tokens, Role.WORKER, Role.ADMIN);
        }

        @Override
        public String name() {
            return "crew-worker";
        }
    }
}
