package dev.nvjrun.runtime.store;

import org.junit.jupiter.api.Test;

import java.security.DigestInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenSslSha256Test {

    private static OpenSslSha256 openSsl() {
        return new OpenSslSha256(OpenSslSha256.load("libcrypto.so.3", "crypto")
                .orElseThrow(() -> new IllegalStateException("test needs libcrypto.so.3: apt-get install libssl3")));
    }

    @Test
    void storeHashesWithOpenSslWhereItLoads() {
        assertInstanceOf(OpenSslSha256.class, Digest.newSha256());
    }

    @Test
    void knownAnswersOfFips180() {
        MessageDigest sha = openSsl();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(sha.digest()));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(sha.digest("abc".getBytes())), "and it resets after a digest");
    }

    @Test
    void agreesWithTheJdkForEverySplitOfTheInput() {
        byte[] data = new byte[(1 << 16) * 3 + 12345];
        new Random(42).nextBytes(data);
        int[] steps = {1, 511, 512, 4096, (1 << 16) - 1, 1 << 16, (1 << 16) + 3, data.length};
        for (int step : steps) {
            MessageDigest ours = openSsl();
            for (int offset = 0; offset < data.length; offset += step) {
                ours.update(data, offset, Math.min(step, data.length - offset));
            }
            assertArrayEquals(Digest.jdkSha256().digest(data), ours.digest(), "updates of " + step + " bytes");
        }
        MessageDigest bytewise = openSsl();
        for (int i = 0; i < 100_000; i++) {
            bytewise.update(data[i]);
        }
        assertArrayEquals(Digest.jdkSha256().digest(java.util.Arrays.copyOf(data, 100_000)), bytewise.digest());
    }

    @Test
    void worksUnderADigestInputStream() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        MessageDigest ours = openSsl();
        try (DigestInputStream in = new DigestInputStream(new ByteArrayInputStream(data), ours)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(Digest.of(data), Digest.fromHash(ours));
    }

    @Test
    void missingLibraryFallsBackToTheJdk() {
        assertTrue(OpenSslSha256.load("libnvjrun-no-such-crypto.so.9").isEmpty());
    }
}
