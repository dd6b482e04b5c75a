package io.tracemark.trace.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the console's session key comes from on each kind of database. */
class SessionKeySourceTest {

    @Test
    void postgresqlRefusesToStartWithoutAConfiguredKey() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SessionKeySource.resolve("", "jdbc:postgresql://db/tracemark", "data"));
        assertTrue(refused.getMessage().contains("TRACEMARK_SESSION_KEY"), refused.getMessage());
        assertThrows(IllegalStateException.class,
                () -> SessionKeySource.resolve("too-short", "jdbc:postgresql://db/tracemark", "data"));
        assertEquals("a-configured-session-key-01234",
                SessionKeySource.resolve("a-configured-session-key-01234", "jdbc:postgresql://db/tracemark", "data"));
    }

    @Test
    void theEmbeddedDefaultGeneratesOneKeyAndKeepsIt(@TempDir Path data) {
        String first = SessionKeySource.resolve("", "jdbc:h2:file:x", data.toString());
        assertTrue(Files.exists(data.resolve(SessionKeySource.KEY_FILE)));
        assertTrue(first.length() >= 40, first.length() + " characters");
        assertEquals(first, SessionKeySource.resolve("", "jdbc:h2:file:x", data.toString()));
    }
}
