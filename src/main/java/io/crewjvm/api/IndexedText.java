package io.crewjvm.api;

/**
 * Text the schema indexes: channels, workgroups and duplicate keys. A B-tree entry holds at most about 2.7 kB
 * and a channel also travels as the payload of a NOTIFY (at most 8 kB), so a longer value would fail inside the
 * database; it is refused up front. 200 characters are at most 800 bytes, twice that for (channel, key).
 */
public final class IndexedText {

    public static final int MAX_LENGTH = 200;

    private IndexedText() {
    }

    public static String check(String field, String value) {
        if (value != null && value.length() > MAX_LENGTH) {
            throw ApiException.badRequest(field + " must be at most " + MAX_LENGTH + " characters");
        }
        return value;
    }
}
