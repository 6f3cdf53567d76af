package io.crewjvm.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jboss.logging.Logger;

/** The configured tokens, and which role a presented one has. Tokens are never logged, only counted. */
@Singleton
public class Tokens {

    private static final Logger LOG = Logger.getLogger(Tokens.class);

    private final byte[][] admin;
    private final byte[][] worker;

    Tokens(AuthConfig config) {
        this.admin = bytes(config.adminTokens().orElse(List.of()));
        this.worker = bytes(config.workerTokens().orElse(List.of()));
    }

    /** Authentication is on as soon as one token is configured. */
    public boolean enabled() {
        return admin.length + worker.length > 0;
    }

    /** The role of a token presented outside an Authorization header (socket.io's handshake), or null. */
    public Role roleOf(String presented) {
        return roleOf(presented.trim().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The role of a presented token, or null for an unknown one. Every configured token is compared, each with
     * {@link MessageDigest#isEqual}, whose time depends on the presented token's length only: the time of an
     * answer tells neither how close a guess came, nor which token matched, nor how long the tokens are.
     */
    Role roleOf(byte[] presented) {
        boolean isAdmin = false;
        boolean isWorker = false;
        for (byte[] token : admin) {
            isAdmin |= MessageDigest.isEqual(presented, token);
        }
        for (byte[] token : worker) {
            isWorker |= MessageDigest.isEqual(presented, token);
        }
        return isAdmin ? Role.ADMIN : isWorker ? Role.WORKER : null;
    }

    void announce(@Observes StartupEvent started) {
        if (enabled()) {
            LOG.infof("Authentication on: %d admin and %d worker token(s) configured", admin.length, worker.length);
        } else {
            LOG.warn("AUTHENTICATION IS OFF: anyone who can reach this service can read and change everything. "
                    + "Set CREW_AUTH_ADMIN_TOKENS (and CREW_AUTH_WORKER_TOKENS) to require bearer tokens.");
        }
    }

    private static byte[][] bytes(List<String> tokens) {
        return tokens.stream().map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }
}
