package io.crewjvm.auth;

import io.crewjvm.api.JsonReply;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} on every request. No header: the request is anonymous, which only the open
 * paths admit (application.properties); a header with an unknown token fails authentication. Both answer 401
 * with a JSON message.
 */
@Singleton
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer";
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final String PREFIX = SCHEME + " ";
    /** socket.io checks the token itself, to refuse a connection with socket.io's own error (SocketIo). */
    private static final String SOCKET_IO = "/socket.io";
    private static final byte[] NOT_BEARER = new byte[0];
    private static final Uni<SecurityIdentity> ANONYMOUS = Uni.createFrom().nullItem();
    private static final Uni<ChallengeData> CHALLENGE =
            Uni.createFrom().item(new ChallengeData(401, WWW_AUTHENTICATE, SCHEME));
    private static final Uni<HttpCredentialTransport> TRANSPORT = Uni.createFrom()
            .item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    private static final Uni<Boolean> SENT = Uni.createFrom().item(Boolean.TRUE);

    private final Tokens tokens;

    BearerTokenMechanism(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!tokens.enabled()) {
            return ANONYMOUS;
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || context.request().path().startsWith(SOCKET_IO)) {
            return ANONYMOUS;
        }
        // Other credentials (Basic, say) are an unknown token: no configured token is empty.
        byte[] token = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8) : NOT_BEARER;
        return identities.authenticate(new BearerTokenRequest(token));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return CHALLENGE;
    }

    /** The challenge with Crew's error shape, {@code {"message": ...}}, rather than an empty body. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String message = context.request().getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "Authentication required: send the header Authorization: Bearer <token>"
                : "Invalid token";
        context.response().putHeader(WWW_AUTHENTICATE, SCHEME);
        JsonReply.send(context, 401, message);
        return SENT;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return TRANSPORT;
    }
}
