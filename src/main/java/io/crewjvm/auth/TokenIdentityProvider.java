package io.crewjvm.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Turns a bearer token into the identity of its role. It runs on the event loop (nothing here blocks) and hands
 * out one shared, immutable identity per role: authenticating a request allocates nothing of its own.
 */
@Singleton
public class TokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {

    private static final Uni<SecurityIdentity> ADMIN = identity(Role.ADMIN);
    private static final Uni<SecurityIdentity> WORKER = identity(Role.WORKER);

    private final Tokens tokens;

    TokenIdentityProvider(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        Role role = tokens.roleOf(request.token());
        if (role == null) {
            // The message is all a log or a response may ever show of a rejected token.
            return Uni.createFrom().failure(new AuthenticationFailedException("Invalid token"));
        }
        return role == Role.ADMIN ? ADMIN : WORKER;
    }

    private static Uni<SecurityIdentity> identity(Role role) {
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(role.roleName())).addRole(role.roleName()).build());
    }
}
