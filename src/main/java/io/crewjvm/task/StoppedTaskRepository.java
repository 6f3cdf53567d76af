package io.crewjvm.task;

import io.crewjvm.api.Paging;
import io.crewjvm.db.Db;
import io.crewjvm.db.Query;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Stopped tasks across groups (TaskListStopped.sql): a page of their documents, or the next ids to revive. */
@ApplicationScoped
public class StoppedTaskRepository {

    private final Db db;

    StoppedTaskRepository(Db db) {
        this.db = db;
    }

    /** A page of the documents, as a JSON array. */
    String page(StoppedTaskFilter filter, Paging paging) {
        List<String> documents = query(filter, paging.limit(), paging.skip(), true).list(rs -> rs.getString(2));
        return "[" + String.join(",", documents) + "]";
    }

    /** The ids of the first {@code limit} tasks the filter takes. */
    List<String> ids(StoppedTaskFilter filter, int limit) {
        return query(filter, limit, 0, false).list(rs -> rs.getString(1));
    }

    private Query query(StoppedTaskFilter filter, Integer limit, int skip, boolean documents) {
        return db.sql("task/TaskListStopped").bind("state", filter.state().name()).bind("since", filter.since())
                .bind("channel", filter.channel()).bind("workgroup", filter.workgroup()).bind("limit", limit)
                .bind("skip", skip).bind("documents", documents);
    }
}
