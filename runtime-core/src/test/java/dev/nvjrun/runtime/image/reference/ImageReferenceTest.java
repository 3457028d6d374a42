package dev.nvjrun.runtime.image.reference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io/library/busybox:1.36",
            "nvidia/cuda:12.4.1-base-ubuntu22.04, docker.io/nvidia/cuda:12.4.1-base-ubuntu22.04",
            "docker.io/busybox, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox, docker.io/library/busybox:latest",
            "localhost/app, localhost/app:latest",
            "localhost:5000/a/b/c:v1, localhost:5000/a/b/c:v1",
            "127.0.0.1:5000/busybox:t, 127.0.0.1:5000/busybox:t",
            "nvcr.io/nvidia/cuda, nvcr.io/nvidia/cuda:latest",
            "Registry.Example.com/ns/app:1, Registry.Example.com/ns/app:1",
            "my_app__x.y-z, docker.io/library/my_app__x.y-z:latest",
    })
    void normalisesLikeDocker(String input, String normalised) {
        assertEquals(normalised, ImageReference.parse(input).toString());
    }

    @Test
    void keepsDigestWithoutAddingLatest() {
        ImageReference reference = ImageReference.parse("busybox@" + DIGEST);
        assertEquals(DIGEST, reference.digest());
        assertNull(reference.tag());
        assertEquals(DIGEST, reference.manifestReference());
        assertEquals("docker.io/library/busybox@" + DIGEST, reference.toString());
        ImageReference both = ImageReference.parse("localhost:5000/x:1@" + DIGEST);
        assertEquals("1", both.tag());
        assertEquals("localhost:5000", both.domain());
        assertEquals("x", both.repository());
    }

    @Test
    void showsFamiliarNames() {
        assertEquals("busybox:latest", ImageReference.parse("busybox").familiar());
        assertEquals("nvidia/cuda:12", ImageReference.parse("nvidia/cuda:12").familiar());
        assertEquals("localhost:5000/a:1", ImageReference.parse("localhost:5000/a:1").familiar());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|is empty",
            "Busybox|must be lowercase",
            "busybox:|invalid tag",
            "busybox:-bad|invalid tag",
            "busybox@sha256:123|invalid digest",
            "busybox@md5:abc|invalid digest",
            "a//b|invalid repository path component",
            "a/b-|invalid repository path component",
            "-host:5000/a|invalid registry host",
            "host:port/a|invalid registry host",
            "' busybox'|surrounding whitespace",
            ":tag|no repository name",
    })
    void refusesInvalidReferencesWithTheReason(String input, String reason) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void refusesHexIdAsNameAndOverlongNames() {
        assertTrue(assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("ab".repeat(32)))
                .getMessage().contains("image id"));
        assertTrue(assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("a/" + "b".repeat(260)))
                .getMessage().contains("longer than 255"));
    }
}
