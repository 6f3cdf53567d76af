package io.crewjvm.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point to the named statements. Inside a transaction every statement runs on the transaction's
 * connection (Agroal enlists it), so services compose statements freely within one unit of work ({@code Transactions.retrying}).
 */
@ApplicationScoped
public class Db {

    private final AgroalDataSource dataSource;
    private final Map<String, NamedSql> statements = new ConcurrentHashMap<>();

    Db(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The statement in {@code sql/<name>.sql}, e.g. {@code sql("worker/TaskAcquire")}. */
    public Query sql(String name) {
        NamedSql statement = statements.computeIfAbsent(name, NamedSql::load);
        try {
            Connection connection = dataSource.getConnection();
            return new Query(statement, connection);
        } catch (SQLException e) {
            throw new DbException(name, e);
        }
    }
}
