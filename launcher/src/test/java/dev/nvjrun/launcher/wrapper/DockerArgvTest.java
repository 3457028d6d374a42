package dev.nvjrun.launcher.wrapper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DockerArgvTest {

    private static DockerArgv parse(String line) {
        return DockerArgv.parse(List.of(line.split(" ")));
    }

    @Test
    void findsTheImageAfterBooleanAndValuedOptions() {
        DockerArgv a = parse("run -it --rm -v /a:/b -e X=1 --name=foo cuda:12 nvidia-smi -L");
        assertEquals("run", a.command());
        assertEquals("cuda:12", a.image());
    }

    @Test
    void groupedShortOptionsWithAValueLetterSkipTheValue() {
        assertEquals("img", parse("run -itv /a:/b img sh").image());
        assertEquals("img", parse("create -dit img").image());
    }

    @Test
    void globalOptionsBeforeTheCommand() {
        DockerArgv a = parse("-H tcp://h:2375 --debug run --rm img");
        assertEquals("run", a.command());
        assertEquals(3, a.commandIndex());
        assertEquals("img", a.image());
    }

    @Test
    void doubleDashEndsOptions() {
        assertEquals("-weird-image", parse("run --rm -- -weird-image").image());
    }

    @Test
    void otherCommandsHaveNoImage() {
        DockerArgv a = parse("ps -a");
        assertEquals("ps", a.command());
        assertEquals(-1, a.imageIndex());
    }

    @Test
    void runWithoutAnImageHasNone() {
        assertEquals(-1, parse("run --rm -e X").imageIndex());
    }

    @Test
    void insertsRightBeforeTheImage() {
        DockerArgv a = parse("run --rm img cmd");
        assertEquals(List.of("run", "--rm", "--device=/dev/nvidia0", "img", "cmd"), a.withBeforeImage(List.of("--device=/dev/nvidia0")));
    }
}
