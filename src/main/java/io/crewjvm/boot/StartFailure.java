package io.crewjvm.boot;

/**
 * A reason the service cannot start that its user can act on. {@code crew start} prints the sentence alone on
 * stderr and exits with the code, which {@code crew start --help} and docs/operations.md list.
 */
public final class StartFailure extends RuntimeException {

    public static final int OTHER = 1;
    public static final int PORT_IN_USE = 3;
    public static final int DATA_DIR_IN_USE = 4;
    public static final int DATABASE_REFUSED = 5;
    public static final int DATA_DIR_NOT_WRITABLE = 6;

    private final int exitCode;

    public StartFailure(int exitCode, String sentence, Throwable cause) {
        super(sentence, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
