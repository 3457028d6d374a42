package dev.nvjrun.runtime.store;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Random bytes for names (container ids, layer links, namespace files), straight from the kernel's
 * random number generator ({@code /dev/urandom}, which Java's default SecureRandom on Linux reads too).
 * Not through java.security.SecureRandom: its first use starts the JDK's security providers, some 7 ms
 * of every container start, for what a 32-byte read gives as well.
 */
public final class RandomBytes {
    private static final String URANDOM = "/dev/urandom";

    private RandomBytes() {
    }

    public static byte[] of(int count) {
        byte[] bytes = new byte[count];
        try (InputStream in = new FileInputStream(URANDOM)) {
            int read = in.readNBytes(bytes, 0, count);
            if (read != count) {
                throw new IOException("read " + read + " of " + count + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read random bytes from " + URANDOM + ": " + e.getMessage()
                    + "; a Linux host has it, a container running nvjrun needs it in its /dev", e);
        }
        return bytes;
    }

    /** {@code length} characters drawn evenly from {@code alphabet} (bytes that would favour its first letters are skipped). */
    public static String text(String alphabet, int length) {
        int usable = 256 - 256 % alphabet.length();
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            for (byte b : of(2 * (length - out.length()))) {
                int value = b & 0xff;
                if (value < usable && out.length() < length) {
                    out.append(alphabet.charAt(value % alphabet.length()));
                }
            }
        }
        return out.toString();
    }
}
