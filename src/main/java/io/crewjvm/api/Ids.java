package io.crewjvm.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ids shaped like MongoDB ObjectIds (24 hex characters), which Crew clients and crew-ui expect: 4 bytes of
 * seconds, 5 random bytes fixed per process, a 3-byte counter. Unique across replicas without coordination.
 */
public final class Ids {

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

    /** 24 ASCII hexadecimal digits. A loop, not a regular expression: it runs for every task of every batch release. */
    public static boolean isValid(String id) {
        if (id == null || id.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** The canonical (lowercase) form of an id from a path or body, or 400. */
    public static String parse(String id, String what) {
        if (!isValid(id)) {
            throw ApiException.badRequest("Invalid " + what + ": '" + id + "' is not a 24-character hex id");
        }
        return id.toLowerCase(Locale.ROOT);
    }
}
