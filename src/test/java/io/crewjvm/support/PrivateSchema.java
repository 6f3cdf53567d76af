package io.crewjvm.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A schema of the test database of its own, migrated by Flyway from the service's migrations, and one connection
 * whose search path is that schema: for tests of the schema itself, without a service.
 */
public final class PrivateSchema implements AutoCloseable {

    private final String name;
    private final Connection connection;

    private PrivateSchema(String name, Connection connection) {
        this.name = name;
        this.connection = connection;
    }

    /** Drops what an earlier run left under that name, migrates the schema afresh and connects to it. */
    public static PrivateSchema migrate(String name) throws SQLException {
        Map<String, String> config = new TestDatabase().start();
        String url = config.get("quarkus.datasource.jdbc.url");
        String user = config.get("quarkus.datasource.username");
        String password = config.get("quarkus.datasource.password");
        PrivateSchema schema = new PrivateSchema(name, DriverManager.getConnection(url, user, password));
        schema.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        Flyway.configure().dataSource(url, user, password).schemas(name).defaultSchema(name)
                .locations("classpath:db/migration").load().migrate();
        schema.execute("SET search_path = " + name);
        return schema;
    }

    public Connection connection() {
        return connection;
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Drops the schema and closes the connection. */
    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        connection.close();
    }
}
