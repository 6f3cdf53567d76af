package io.crewjvm.operator;

import io.crewjvm.db.Db;
import io.crewjvm.db.Query.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Operators through named statements in {@code sql/operator/}. */
@ApplicationScoped
public class OperatorRepository {

    /** What the dispatcher needs of an operator. */
    record Registered(String id, String channel, String url, String requestConfig, boolean paused) {
    }

    private final Db db;

    OperatorRepository(Db db) {
        this.db = db;
    }

    List<OperatorView> page(Integer limit, int skip) {
        return db.sql("operator/OperatorList").bind("limit", limit).bind("skip", skip).list(OperatorView::of);
    }

    long count() {
        return db.sql("operator/OperatorCount").one(rs -> rs.getLong(1)).orElse(0L);
    }

    Optional<OperatorView> get(String id) {
        return db.sql("operator/OperatorGet").bind("id", id).one(OperatorView::of);
    }

    Optional<OperatorView> lock(String id) {
        return db.sql("operator/OperatorLock").bind("id", id).one(OperatorView::of);
    }

    OperatorView insert(String id, String channel, String url, String requestConfig, Boolean paused) {
        return db.sql("operator/OperatorInsert").bind("id", id).bind("channel", channel).bind("url", url)
                .bind("requestConfig", requestConfig == null ? null : new Json(requestConfig)).bind("paused", paused)
                .one(OperatorView::of).orElseThrow();
    }

    OperatorView update(String id, String channel, String url, String requestConfig, Boolean paused) {
        return db.sql("operator/OperatorUpdate").bind("id", id).bind("channel", channel).bind("url", url)
                .bind("requestConfig", requestConfig == null ? null : new Json(requestConfig)).bind("paused", paused)
                .one(OperatorView::of).orElseThrow();
    }

    int delete(String id) {
        return db.sql("operator/OperatorDelete").bind("id", id).update();
    }

    List<Registered> all() {
        return db.sql("operator/OperatorAll").list(rs -> new Registered(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getBoolean(5)));
    }

    List<String> channelsWithReadyTasks() {
        return db.sql("operator/ChannelsWithReadyTasks").list(rs -> rs.getString(1));
    }
}
