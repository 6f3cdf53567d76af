package io.crewjvm.db;

import java.sql.SQLException;

/** A failed statement, carrying its name and the SQLSTATE that decides how it is handled. */
public class DbException extends RuntimeException {

    private final String sqlState;

    public DbException(String statement, SQLException cause) {
        super(statement + ": " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }
}
