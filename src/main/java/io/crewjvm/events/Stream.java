package io.crewjvm.events;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * One client's open event stream: all events, or those of one group. Frames are written on the connection's own
 * event loop (a response is not thread-safe); a client that does not read is cut off rather than buffered for.
 */
final class Stream {

    private final String groupId;
    private final HttpServerResponse response;
    private final Context context;

    Stream(String groupId, HttpServerResponse response, Context context) {
        this.groupId = groupId;
        this.response = response;
        this.context = context;
    }

    /** Events of a group reach its streams and the global ones; events of no group only the global ones. */
    boolean wants(String group) {
        return groupId == null || groupId.equals(group);
    }

    void send(String frame) {
        context.runOnContext(v -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                response.reset(); // reconnects and reads the current state, instead of growing our memory
                return;
            }
            response.write(frame);
        });
    }

    void end() {
        context.runOnContext(v -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
    }
}
