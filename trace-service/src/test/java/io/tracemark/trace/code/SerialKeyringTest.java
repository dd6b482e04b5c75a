package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialKeyringTest {

    @TempDir
    Path data;

    @Test
    void productionRefusesToStartWithoutAConfiguredKey() {
        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> SerialKeyring.secrets(Optional.empty(), Optional.empty(), false, data));
        assertTrue(refusal.getMessage().contains("TRACEMARK_CODES_SECRET"), refusal.getMessage());
        assertTrue(Files.notExists(data.resolve(SerialKeyring.KEY_FILE)), "no key generated in production");
    }

    @Test
    void embeddedDefaultGeneratesAKeyOnceAndKeepsIt() {
        byte[] first = SerialKeyring.secrets(Optional.empty(), Optional.empty(), true, data).get(0);
        byte[] again = SerialKeyring.secrets(Optional.empty(), Optional.empty(), true, data).get(0);
        assertEquals(SerialKeyring.GENERATED_KEY_BYTES, first.length);
        assertArrayEquals(first, again);
    }

    @Test
    void acceptsHexAndBase64AndRefusesShortOrGarbledKeys() {
        byte[] bytes = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        assertArrayEquals(bytes, SerialKeyring.decode("000102030405060708090A0B0C0D0E0F"));
        assertArrayEquals(bytes, SerialKeyring.decode("AAECAwQFBgcICQoLDA0ODw=="));
        assertThrows(IllegalStateException.class, () -> SerialKeyring.decode("00010203"));
        assertThrows(IllegalStateException.class, () -> SerialKeyring.decode("not a key!"));
    }
}
