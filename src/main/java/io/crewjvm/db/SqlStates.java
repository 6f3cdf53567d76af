package io.crewjvm.db;

import java.sql.SQLException;
import java.util.Locale;

/** Classifies database failures by SQLSTATE, never by message text. */
public final class SqlStates {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String UNTRANSLATABLE_CHARACTER = "22P05";
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    public static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    public static final String QUERY_CANCELED = "57014";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

    private SqlStates() {
    }

    /** The SQLSTATE of the first database error in the cause chain, or null. */
    public static String of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DbException db && db.sqlState() != null) {
                return db.sqlState();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** A conflict between concurrent transactions that a fresh attempt of the same transaction resolves. */
    public static boolean isTransient(Throwable error) {
        String state = of(error);
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)
                || UNIQUE_VIOLATION.equals(state);
    }

    /**
     * The database cannot be reached, is shutting down or restarting, has no connection to spare, or did not answer
     * in time: the request may succeed later (503). SQLSTATE class 08 (connection exceptions, a socket timeout
     * among them), 57P01-57P03 (admin or crash shutdown, cannot connect now), 53300 (too many connections), the
     * server's own time limits (57014 statement timeout, 55P03 lock timeout, 25P03 a session ended idle in a
     * transaction), and the pool's acquisition timeout.
     */
    public static boolean isUnavailable(Throwable error) {
        String state = of(error);
        if (state != null) {
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03") || state.equals("53300") || state.equals(QUERY_CANCELED)
                    || state.equals(LOCK_NOT_AVAILABLE) || state.equals(IDLE_IN_TRANSACTION_TIMEOUT);
        }
        return isPoolTimeout(error);
    }

    /**
     * Agroal's "Sorry, acquisition timeout!": every connection of the pool stayed busy for the acquisition
     * timeout. It carries no SQLSTATE, so this one is recognised by its text.
     */
    private static boolean isPoolTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    /** A value too large for the database to index or store (an index row over its size limit): bad input. */
    public static boolean isTooLarge(Throwable error) {
        return PROGRAM_LIMIT_EXCEEDED.equals(of(error));
    }

    /** A string the database cannot store (a NUL character): bad input, not a bug. */
    public static boolean isUnstorableText(Throwable error) {
        String state = of(error);
        return UNTRANSLATABLE_CHARACTER.equals(state) || CHARACTER_NOT_IN_REPERTOIRE.equals(state);
    }
}
