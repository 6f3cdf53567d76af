package io.crewjvm.events.socketio;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a client presented when its session opened, for socket.io to authenticate its connections with: the
 * Authorization header (sent by clients that can set headers: Node.js, polling with extraHeaders) and a
 * {@code token} query parameter (the one way a browser's WebSocket can carry a token besides socket.io's auth).
 */
record Handshake(String authorization, String tokenParameter) {

    static Handshake of(HttpServerRequest request) {
        return new Handshake(request.getHeader(HttpHeaders.AUTHORIZATION), request.getParam("token"));
    }
}
