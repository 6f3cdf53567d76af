package io.crewjvm.db;

import java.sql.SQLException;

/** Classifies database failures by SQLSTATE, never by message text. */
public final class SqlStates {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String UNTRANSLATABLE_CHARACTER = "22P05";
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

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

    /** The database cannot be reached or is shutting down: the request may succeed later (503). */
    public static boolean isUnavailable(Throwable error) {
        String state = of(error);
        if (state != null) {
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03") || state.equals("53300");
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException && String.valueOf(t.getMessage()).contains("Acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    /** A string the database cannot store (a NUL character): bad input, not a bug. */
    public static boolean isUnstorableText(Throwable error) {
        String state = of(error);
        return UNTRANSLATABLE_CHARACTER.equals(state) || CHARACTER_NOT_IN_REPERTOIRE.equals(state);
    }
}
