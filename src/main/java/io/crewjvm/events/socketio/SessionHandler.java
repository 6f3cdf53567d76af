package io.crewjvm.events.socketio;

/** What runs on top of an Engine.IO session: socket.io. Called on the session's connections' event loops. */
interface SessionHandler {

    /** A message packet's data (socket.io's packet, as text). */
    void message(EngineSession session, String data);

    /** The session ended, whichever side ended it; nothing is sent to it any more. */
    void closed(EngineSession session);
}
