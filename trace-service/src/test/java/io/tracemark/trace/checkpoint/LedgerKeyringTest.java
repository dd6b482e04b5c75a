package io.tracemark.trace.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the ledger's signing key comes from, and what a start without a usable one says. */
class LedgerKeyringTest {

    @TempDir
    Path data;

    @Test
    void onPostgresqlAStartWithoutAKeyFailsNamingTheVariable() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LedgerKeyring.load(Optional.empty(), false, data));
        assertTrue(refused.getMessage().contains("TRACEMARK_LEDGER_SIGNING_KEY"), refused.getMessage());
        assertTrue(refused.getMessage().contains("openssl genpkey -algorithm ed25519"), refused.getMessage());
    }

    @Test
    void aKeyThatIsNotAnEd25519Pkcs8KeyFailsNamingTheVariable() {
        for (String wrong : new String[] { "not base64 at all!", Base64.getEncoder().encodeToString(new byte[48]) }) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> LedgerKeyring.load(Optional.of(wrong), false, data));
            assertTrue(refused.getMessage().startsWith("TRACEMARK_LEDGER_SIGNING_KEY"), refused.getMessage());
        }
    }

    @Test
    void theEmbeddedDefaultGeneratesAKeyOnceIntoTheDataFolderOwnerOnly() throws IOException {
        SigningKey first = LedgerKeyring.load(Optional.empty(), true, data);
        Path file = data.resolve(LedgerKeyring.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first.keyId(), LedgerKeyring.load(Optional.empty(), true, data).keyId(), "the same key on the next start");
        // A configured key wins over the kept one, and gives the same key id however it is given.
        SigningKey configured = LedgerKeyring.load(Optional.of(Files.readString(file)), false, data);
        assertEquals(first.keyId(), configured.keyId());
    }

    @Test
    void aKeyMadeByOpensslIsReadAndItsPublicKeyIsOpensslsToo() throws Exception {
        Process made;
        try {
            made = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-outform", "DER", "-out",
                    data.resolve("key.der").toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "openssl is not installed");
            return;
        }
        assertEquals(0, made.waitFor());
        Process pub = new ProcessBuilder("openssl", "pkey", "-inform", "DER", "-in", data.resolve("key.der").toString(),
                "-pubout", "-outform", "DER", "-out", data.resolve("pub.der").toString()).start();
        assertEquals(0, pub.waitFor());
        SigningKey key = LedgerKeyring.load(
                Optional.of(Base64.getEncoder().encodeToString(Files.readAllBytes(data.resolve("key.der")))), false, data);
        assertEquals(Base64.getEncoder().encodeToString(Files.readAllBytes(data.resolve("pub.der"))), key.publicKey());
        assertEquals(SigningKey.keyIdOf(Files.readAllBytes(data.resolve("pub.der"))), key.keyId());
    }
}
