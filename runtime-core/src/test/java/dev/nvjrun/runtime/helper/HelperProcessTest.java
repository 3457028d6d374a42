package dev.nvjrun.runtime.helper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelperProcessTest {
    @TempDir
    Path cache;

    private HelperStatus.Failed fails(String spec) {
        HelperProcess p = HelperProcess.spawn(HelperBinary.extractTo(cache), spec.getBytes(StandardCharsets.UTF_8));
        HelperStatus status = p.awaitStatus();
        assertEquals(125, p.waitFor());
        return (HelperStatus.Failed) status;
    }

    @Test
    void refusesSpecWithoutHeader() {
        HelperStatus.Failed f = fails("hello\n");
        assertEquals(125, f.exitCode());
        assertTrue(f.message().contains("header"), f.message());
    }

    @Test
    void refusesTruncatedField() {
        HelperStatus.Failed f = fails("NVJRUN-SPEC 1\nROOTFS 1\n200\n/r");
        assertTrue(f.message().contains("truncated field"), f.message());
    }

    @Test
    void refusesUnknownRecordAndMissingCommand() {
        assertTrue(fails("NVJRUN-SPEC 1\nBOGUS 0\nEND 0\n").message().contains("unknown record 'BOGUS'"));
        assertTrue(fails("NVJRUN-SPEC 1\nROOTFS 1\n2\n/r\nEND 0\n").message().contains("lacks a ROOTFS or an ARG"));
    }

    @Test
    void refusesAnLdconfigCommandWithoutAnAbsolutePath() {
        assertTrue(fails("NVJRUN-SPEC 1\nROOTFS 1\n2\n/r\nARG 1\n4\ntrue\nLDCONFIG 2\n8\nldconfig\n2\n-r\nEND 0\n").message()
                .contains("LDCONFIG needs an absolute path first"));
    }

    @Test
    void extractsTheHelperOnceAsAnExecutable() {
        HelperBinary first = HelperBinary.extractTo(cache);
        HelperBinary second = HelperBinary.extractTo(cache);
        assertEquals(first, second);
        assertTrue(Files.isExecutable(first.path()));
        assertTrue(first.path().getFileName().toString().startsWith("nvjrun-helper-"));
    }

    @Test
    void theRecordedIdentityIsTheExtractedBinarysAndADamagedCopyIsReplaced() throws Exception {
        HelperBinary.Identity id = HelperBinary.Identity.bundled();
        HelperBinary extracted = HelperBinary.extractTo(cache);
        byte[] bytes = Files.readAllBytes(extracted.path());
        assertEquals(id.size(), bytes.length);
        assertEquals(id.sha256(), java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertTrue(extracted.path().getFileName().toString().endsWith(id.sha256().substring(0, 16)));

        Files.write(extracted.path(), java.util.Arrays.copyOf(bytes, 100)); // a copy cut short by a full disk, say
        HelperBinary again = HelperBinary.extractTo(cache);
        assertEquals(id.size(), Files.size(again.path()), "a copy of the wrong size is extracted anew");
    }
}
