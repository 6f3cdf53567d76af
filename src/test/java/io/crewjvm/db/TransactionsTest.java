package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Work that loses a race is run again in a new transaction; other failures reach the caller. */
@QuarkusTest
class TransactionsTest {

    /** Fails with a given SQLSTATE the first {@code failures} times, recording the transaction of each attempt. */
    @ApplicationScoped
    static class Flaky {

        @Inject
        TransactionManager transactions;

        private final List<Transaction> attempts = new ArrayList<>();

        /** Read through methods: the injected client proxy has fields of its own. */
        List<Transaction> attempts() {
            return attempts;
        }

        String run(int failures, String sqlState) {
            return Transactions.retrying(() -> {
                attempts.add(currentTransaction());
                if (attempts.size() <= failures) {
                    throw new DbException("test/Flaky", new SQLException("lost a race", sqlState));
                }
                return "done";
            });
        }

        private Transaction currentTransaction() {
            try {
                return transactions.getTransaction();
            } catch (SystemException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    Flaky flaky;

    @BeforeEach
    void reset() {
        flaky.attempts().clear();
    }

    @Test
    void a_deadlock_is_retried_in_a_new_transaction_until_it_succeeds() {
        assertEquals("done", flaky.run(2, SqlStates.DEADLOCK_DETECTED));
        assertEquals(3, flaky.attempts().size());
        assertEquals(3, flaky.attempts().stream().distinct().count(), "each attempt had a transaction of its own");
    }

    @Test
    void a_serialization_failure_is_retried() {
        assertEquals("done", flaky.run(1, SqlStates.SERIALIZATION_FAILURE));
        assertEquals(2, flaky.attempts().size());
    }

    @Test
    void any_other_database_error_reaches_the_caller_at_once() {
        DbException error = assertThrows(DbException.class, () -> flaky.run(1, "22P02"));
        assertEquals("22P02", error.sqlState());
        assertEquals(1, flaky.attempts().size());
    }
}
