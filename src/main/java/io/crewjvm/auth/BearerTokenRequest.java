package io.crewjvm.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token as presented, for {@link TokenIdentityProvider}; it has no toString that could show it. */
final class BearerTokenRequest extends BaseAuthenticationRequest {

    private final byte[] token;

    BearerTokenRequest(byte[] token) {
        this.token = token;
    }

    byte[] token() {
        return token;
    }
}
