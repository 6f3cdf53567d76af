package io.crewjvm.api;

/** {@code limit} and {@code skip} query parameters, with Crew's meaning: a limit of 0 means no limit. */
public record Paging(Integer limit, int skip) {

    public static Paging of(String limit, String skip, int defaultLimit, boolean nonPositiveMeansAll) {
        int l = parse("limit", limit, defaultLimit);
        int s = parse("skip", skip, 0);
        if (s < 0) {
            throw ApiException.badRequest("skip must not be negative");
        }
        if (l < 0 && !nonPositiveMeansAll) {
            throw ApiException.badRequest("limit must not be negative");
        }
        return new Paging(l <= 0 ? null : l, s);
    }

    private static int parse(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }
}
