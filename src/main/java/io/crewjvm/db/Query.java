package io.crewjvm.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One execution of a named statement: bind parameters by name, then run it once. */
public final class Query {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A JSON document, for a parameter that the statement casts to {@code json} or {@code jsonb}. */
    public record Json(String json) {
    }

    private final NamedSql statement;
    private final Connection connection;
    private final Map<String, Object> values = new HashMap<>();

    Query(NamedSql statement, Connection connection) {
        this.statement = statement;
        this.connection = connection;
    }

    public Query bind(String name, Object value) {
        values.put(name, value);
        return this;
    }

    public int update() {
        return run(ps -> ps.executeUpdate());
    }

    public <T> List<T> list(Row<T> row) {
        return run(ps -> {
            List<T> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(row.map(rs));
                }
            }
            return result;
        });
    }

    public <T> Optional<T> one(Row<T> row) {
        List<T> rows = list(row);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The first column of the first row as text (typically a JSON document built by the statement). */
    public Optional<String> text() {
        return one(rs -> rs.getString(1));
    }

    private interface Execution<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T run(Execution<T> execution) {
        try (connection; PreparedStatement ps = connection.prepareStatement(statement.jdbc())) {
            List<String> parameters = statement.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                String name = parameters.get(i);
                if (!values.containsKey(name)) {
                    throw new IllegalStateException(statement.name() + ": parameter :" + name + " is not bound");
                }
                set(ps, i + 1, values.get(name));
            }
            return execution.run(ps);
        } catch (SQLException e) {
            throw new DbException(statement.name(), e);
        }
    }

    private void set(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else if (value instanceof Json json) {
            ps.setObject(index, json.json(), Types.OTHER);
        } else if (value instanceof String[] texts) {
            Array array = connection.createArrayOf("text", texts);
            ps.setArray(index, array);
        } else if (value instanceof Integer[] ints) {
            ps.setArray(index, connection.createArrayOf("int4", ints));
        } else if (value instanceof java.time.Instant instant) {
            ps.setObject(index, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
        } else {
            ps.setObject(index, value);
        }
    }
}
