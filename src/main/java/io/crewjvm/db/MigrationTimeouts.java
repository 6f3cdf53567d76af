package io.crewjvm.db;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Migrations run without the time limits that requests have (docs/configuration.md, Database): an index built on a
 * large table may take minutes, and neither the server's statement and lock timeouts nor the driver's socket timeout
 * may cut it off half-way. The connection gets its limits back afterwards, before the pool hands it to requests.
 */
@Singleton
public class MigrationTimeouts implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new Unlimited());
    }

    private static final class Unlimited implements Callback {

        private Integer networkTimeout;

        @Override
        public boolean supports(Event event, Context context) {
            return lifts(event) || event == Event.AFTER_MIGRATE || event == Event.AFTER_MIGRATE_ERROR;
        }

        private static boolean lifts(Event event) {
            return event == Event.BEFORE_MIGRATE || event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Connection connection = context.getConnection();
            try (Statement statement = connection.createStatement()) {
                if (lifts(event)) {
                    if (networkTimeout == null) {
                        networkTimeout = connection.getNetworkTimeout();
                    }
                    connection.setNetworkTimeout(Runnable::run, 0);
                    statement.execute("SET statement_timeout = 0; SET lock_timeout = 0; "
                            + "SET idle_in_transaction_session_timeout = 0");
                } else if (networkTimeout != null) {
                    connection.setNetworkTimeout(Runnable::run, networkTimeout);
                    // Back to the values the connection was opened with (the pool's options).
                    statement.execute("RESET statement_timeout; RESET lock_timeout; "
                            + "RESET idle_in_transaction_session_timeout");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not change the time limits around migrations", e);
            }
        }

        @Override
        public String getCallbackName() {
            return "crew-migration-timeouts";
        }
    }
}
