package dev.nvjrun.runtime.store;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomBytesTest {

    @Test
    void givesTheBytesAskedForAndNeverTheSameIdTwice() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = RandomBytes.of(32);
            assertEquals(32, bytes.length);
            assertTrue(ids.add(java.util.HexFormat.of().formatHex(bytes)));
        }
        assertEquals(0, RandomBytes.of(0).length);
    }

    @Test
    void textUsesTheWholeAlphabetEvenly() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"; // 36 letters: 256 % 36 != 0, so skipping matters
        int[] counts = new int[alphabet.length()];
        for (int i = 0; i < 2000; i++) {
            String text = RandomBytes.text(alphabet, 26);
            assertEquals(26, text.length());
            for (char c : text.toCharArray()) {
                assertTrue(alphabet.indexOf(c) >= 0, text);
                counts[alphabet.indexOf(c)]++;
            }
        }
        // 52000 draws, ~1444 per letter; a modulo bias would give the first 4 letters ~1/7 more.
        for (int i = 0; i < counts.length; i++) {
            assertTrue(counts[i] > 1250 && counts[i] < 1650, alphabet.charAt(i) + ": " + counts[i]);
        }
    }
}
