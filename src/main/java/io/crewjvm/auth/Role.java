package io.crewjvm.auth;

/** What a token may do; the names are the roles of its security identity. */
public enum Role {
    /** Everything. */
    ADMIN("admin"),
    /** Acquire, release, heartbeat and read tasks. */
    WORKER("worker");

    private final String roleName;

    Role(String roleName) {
        this.roleName = roleName;
    }

    public String roleName() {
        return roleName;
    }
}
