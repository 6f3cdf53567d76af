package io.crewjvm.task;

import io.crewjvm.db.DbException;
import io.crewjvm.db.SqlStates;
import java.sql.SQLException;

/**
 * A known benign race of a creation with parents: a parent was leased after TaskLockParents read it and before it
 * locked it, so it holds only the share lock chosen for a task that was not running, which does not keep a common
 * release of that parent from missing the new edges. The transaction starts over (SQLSTATE 40001, as PostgreSQL
 * would report the same conflict at REPEATABLE READ); its new snapshot sees the parent running.
 */
public class ParentStartedMeanwhile extends DbException {

    public ParentStartedMeanwhile(String parentId) {
        super("task/TaskLockParents", new SQLException("parent " + parentId + " was leased while its lock was awaited",
                SqlStates.SERIALIZATION_FAILURE));
    }
}
