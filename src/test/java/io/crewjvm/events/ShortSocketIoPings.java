package io.crewjvm.events;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** socket.io pings every 300 ms and gives a client 500 ms to answer, so that a silent client is gone in a second. */
public class ShortSocketIoPings implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crew.socketio-ping-interval", "300ms", "crew.socketio-ping-timeout", "500ms");
    }
}
