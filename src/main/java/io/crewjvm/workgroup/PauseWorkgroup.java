package io.crewjvm.workgroup;

import java.time.Instant;

/**
 * A validated pause of a workgroup: either until a time ({@code until}) or for {@code seconds}, exactly one of
 * them, with an optional reason.
 */
public record PauseWorkgroup(Instant until, Integer seconds, String reason) {
}
