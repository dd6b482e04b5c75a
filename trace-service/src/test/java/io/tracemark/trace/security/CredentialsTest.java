package io.tracemark.trace.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import at.favre.lib.crypto.bcrypt.BCrypt;

class CredentialsTest {

    /** The version and cost of a bcrypt hash, e.g. {@code $2a$11$}: what sets the time a check takes. */
    private static String versionAndCost(String hash) {
        return hash.substring(0, 7);
    }

    @Test
    void anUnknownUserIsCheckedAgainstAHashThatCostsWhatAStoredOneCosts() {
        String stored = Credentials.hashPassword(Credentials.newPassword());

        assertEquals(versionAndCost(stored), versionAndCost(Credentials.UNKNOWN_USER_HASH));
        assertEquals("$2a$" + Credentials.BCRYPT_COST + "$", versionAndCost(Credentials.UNKNOWN_USER_HASH));
        // A well-formed hash, checked in full: a malformed one would fail fast and give unknown users away.
        BCrypt.Result result = BCrypt.verifyer().verify("any password".toCharArray(), Credentials.UNKNOWN_USER_HASH);
        assertTrue(result.validFormat, String.valueOf(result.formatErrorMessage));
        assertFalse(result.verified);
    }
}
