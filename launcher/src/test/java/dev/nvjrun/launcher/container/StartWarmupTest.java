package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.VersionCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartWarmupTest {

    @Test
    void warmsUpOnlyForCommandsThatStartAContainer() {
        assertTrue(StartWarmup.startsContainers(List.of(RunCommand.class)));
        assertTrue(StartWarmup.startsContainers(List.of(ExecCommand.class)));
        assertFalse(StartWarmup.startsContainers(List.of(PsCommand.class)));
        assertFalse(StartWarmup.startsContainers(List.of(VersionCommand.class)));
        assertFalse(StartWarmup.startsContainers(List.of(RunCommand.class, PsCommand.class)), "help and errors register everything");
    }

    @Test
    void everyStepOfTheWarmUpRunsHere() {
        // In the background a failed step is only logged (the start meets it again and reports it);
        // here it must not fail at all, or the warm-up has stopped warming what it names.
        assertTrue(StartWarmup.warm());
    }
}
