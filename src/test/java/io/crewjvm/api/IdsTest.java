package io.crewjvm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void an_id_is_24_ascii_hex_digits_in_either_case() {
        assertTrue(Ids.isValid("0123456789abcdefABCDEF01"));
        assertTrue(Ids.isValid(Ids.newId()));
        assertFalse(Ids.isValid(null));
        assertFalse(Ids.isValid(""));
        assertFalse(Ids.isValid("0123456789abcdef0123456"), "23 digits");
        assertFalse(Ids.isValid("0123456789abcdef012345678"), "25 digits");
        assertFalse(Ids.isValid("0123456789abcdef0123456g"));
        assertFalse(Ids.isValid("0123456789abcdef0123456\u0663"), "an Arabic-Indic digit");
        assertFalse(Ids.isValid("0123456789abcdef0123456\uFF21"), "a fullwidth A");
    }

    @Test
    void parse_lowercases_and_rejects_anything_else_with_a_400() {
        assertEquals("0123456789abcdefabcdef01", Ids.parse("0123456789abcdefABCDEF01", "task id"));
        ApiException e = assertThrows(ApiException.class, () -> Ids.parse("nope", "task id"));
        assertEquals(400, e.status());
        assertEquals("Invalid task id: 'nope' is not a 24-character hex id", e.getMessage());
    }
}
