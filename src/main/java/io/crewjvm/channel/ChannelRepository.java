package io.crewjvm.channel;

import io.crewjvm.api.JsonValues;
import io.crewjvm.db.Db;
import io.crewjvm.db.Query.Json;
import jakarta.enterprise.context.ApplicationScoped;

/** The channel_setting table: a channel's defaults, one row per channel that has any. */
@ApplicationScoped
public class ChannelRepository {

    private final Db db;

    ChannelRepository(Db db) {
        this.db = db;
    }

    String get(String channel) {
        return db.sql("channel/ChannelSettingGet").bind("channel", channel).text().orElseThrow();
    }

    String put(String channel, ChannelSettings settings) {
        Json policy = settings.retryPolicy() == null ? null
                : new Json(JsonValues.write(settings.retryPolicy().toJson()));
        return db.sql("channel/ChannelSettingPut").bind("channel", channel).bind("retryPolicy", policy)
                .bind("timeoutSeconds", settings.timeoutSeconds()).text().orElseThrow();
    }
}
