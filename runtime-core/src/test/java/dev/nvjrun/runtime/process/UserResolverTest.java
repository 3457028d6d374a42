package dev.nvjrun.runtime.process;

import dev.nvjrun.runtime.spec.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserResolverTest {
    @TempDir
    Path root;

    private void etc() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nalice:x:1000:\nvideo:x:44:alice,bob\nstaff:x:50:\n");
    }

    @Test
    void resolvesNamesAndSupplementaryGroups() throws Exception {
        etc();
        assertEquals(new User(1000, 1000, List.of(44)), UserResolver.resolve(root, "alice"));
        assertEquals(new User(1000, 50, List.of(44)), UserResolver.resolve(root, "alice:staff"));
        assertEquals(new User(1000, 7, List.of(44)), UserResolver.resolve(root, "1000:7"));
        assertEquals(new User(4242, 0, List.of()), UserResolver.resolve(root, "4242"));
        assertEquals(User.ROOT, UserResolver.resolve(root, ""));
    }

    @Test
    void refusesUnknownNamesClearly() throws Exception {
        etc();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserResolver.resolve(root, "mallory"));
        assertTrue(e.getMessage().contains("mallory") && e.getMessage().contains("/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> UserResolver.resolve(root, "alice:nogroup"));
    }

    @Test
    void parsesSignalsLikeDocker() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("sigterm"));
        assertEquals(9, Signals.parse("9"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("NOPE"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("99"));
    }
}
