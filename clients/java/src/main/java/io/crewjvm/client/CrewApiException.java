package io.crewjvm.client;

/** The service answered with an error status; {@code message} is its {@code {"message": ...}}. */
public class CrewApiException extends RuntimeException {

    private final int status;

    public CrewApiException(int status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 5xx: the service (or what is in front of it) failed, and the same request may succeed later. */
    public boolean isServerError() {
        return status >= 500;
    }
}
