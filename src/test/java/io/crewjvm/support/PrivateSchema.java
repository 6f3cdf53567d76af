package io.crewjvm.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A schema of the test database of its own, migrated by Flyway from the service's migrations, and one connection
 * whose search path is that schema: for tests of the schema itself, without a service. Registered as a static
 * field ({@code @RegisterExtension static final PrivateSchema schema = new PrivateSchema("name")}), it is migrated
 * afresh before the class's tests and dropped after them.
 */
public final class PrivateSchema implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private Connection connection;

    public PrivateSchema(String name) {
        this.name = name;
    }

    /** Drops what an earlier run left under that name, migrates the schema afresh and connects to it. */
    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        Map<String, String> config = new TestDatabase().start();
        String url = config.get("quarkus.datasource.jdbc.url");
        String user = config.get("quarkus.datasource.username");
        String password = config.get("quarkus.datasource.password");
        connection = DriverManager.getConnection(url, user, password);
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        Flyway.configure().dataSource(url, user, password).schemas(name).defaultSchema(name)
                .locations("classpath:db/migration").load().migrate();
        execute("SET search_path = " + name);
    }

    /** Drops the schema and closes the connection. */
    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        connection.close();
    }

    public Connection connection() {
        return connection;
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** The first column of the query's first row, as text (null when SQL NULL). */
    public String text(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from " + sql);
            }
            return rs.getString(1);
        }
    }
}
