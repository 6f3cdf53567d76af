package io.crewjvm.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.CrewTime;
import io.crewjvm.api.JsonValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An operator in Crew's wire shape: where the tasks of a channel are delivered by webhook. */
@Schema(name = "Operator")
public record OperatorView(
        @JsonProperty("_id") @Schema(example = "6372a3c2f1e2d3c4b5a69788") String id,
        String channel,
        @Schema(example = "http://worker:3002/execute/email") String url,
        @Schema(type = SchemaType.OBJECT,
                description = "headers, auth {username, password} and timeout (ms) of the webhook request")
        JsonNode requestConfig,
        Boolean isPaused,
        @Schema(format = "date-time") String createdAt) {

    /** The row of a statement selecting id, channel, url, request_config::text, is_paused, created_at. */
    static OperatorView of(ResultSet rs) throws SQLException {
        Boolean paused = rs.getBoolean(5);
        if (rs.wasNull()) {
            paused = null;
        }
        String config = rs.getString(4);
        return new OperatorView(rs.getString(1), rs.getString(2), rs.getString(3),
                config == null ? null : JsonValues.readObject(config), paused,
                CrewTime.format(rs.getObject(6, OffsetDateTime.class).toInstant()));
    }
}
