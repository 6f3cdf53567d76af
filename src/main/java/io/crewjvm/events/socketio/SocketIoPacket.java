package io.crewjvm.events.socketio;

/**
 * A socket.io 4 packet (protocol 5) as it travels in an Engine.IO message: its type digit, then a namespace other
 * than {@code /} followed by a comma, then an acknowledgement id, then its JSON data. Binary packets (types 5 and
 * 6) carry attachments, which no Crew event has: they are refused.
 */
record SocketIoPacket(int type, String namespace, Long ackId, String data) {

    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final String ROOT = "/";

    /** Reads a packet; IllegalArgumentException for one that is not socket.io's or is binary. */
    static SocketIoPacket parse(String text) {
        if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '4') {
            throw new IllegalArgumentException("not a socket.io packet");
        }
        int type = text.charAt(0) - '0';
        int i = 1;
        String namespace = ROOT;
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            namespace = comma < 0 ? text.substring(i) : text.substring(i, comma);
            i = comma < 0 ? text.length() : comma + 1;
        }
        int digits = i;
        while (digits < text.length() && Character.isDigit(text.charAt(digits)) && digits - i < 18) {
            digits++;
        }
        Long ackId = digits > i ? Long.valueOf(text.substring(i, digits)) : null;
        return new SocketIoPacket(type, namespace, ackId, text.substring(digits));
    }

    /** The packet as text, ready to be sent as an Engine.IO message. */
    String encode() {
        StringBuilder text = new StringBuilder(data.length() + 8).append(type);
        if (!ROOT.equals(namespace)) {
            text.append(namespace).append(',');
        }
        if (ackId != null) {
            text.append(ackId);
        }
        return text.append(data).toString();
    }
}
