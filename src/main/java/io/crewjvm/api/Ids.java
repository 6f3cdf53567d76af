package io.crewjvm.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Ids shaped like MongoDB ObjectIds (24 hex characters), which Crew clients and crew-ui expect: 4 bytes of
 * seconds, 5 random bytes fixed per process, a 3-byte counter. Unique across replicas without coordination.
 */
public final class Ids {

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PROCESS = new byte[5];
    private static final AtomicInteger COUNTER;

    static {
        SecureRandom random = new SecureRandom();
        random.nextBytes(PROCESS);
        COUNTER = new AtomicInteger(random.nextInt());
    }

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[12];
        int seconds = (int) (System.currentTimeMillis() / 1000);
        int count = COUNTER.getAndIncrement();
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        System.arraycopy(PROCESS, 0, bytes, 4, 5);
        bytes[9] = (byte) (count >>> 16);
        bytes[10] = (byte) (count >>> 8);
        bytes[11] = (byte) count;
        return HEX.formatHex(bytes);
    }

    public static boolean isValid(String id) {
        return id != null && OBJECT_ID.matcher(id).matches();
    }

    /** The canonical (lowercase) form of an id from a path or body, or 400. */
    public static String parse(String id, String what) {
        if (!isValid(id)) {
            throw ApiException.badRequest("Invalid " + what + ": '" + id + "' is not a 24-character hex id");
        }
        return id.toLowerCase(Locale.ROOT);
    }
}
