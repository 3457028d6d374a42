package dev.nvjrun.launcher;

import dev.nvjrun.launcher.container.RunCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandSetTest {

    @Test
    void aNamedCommandIsRegisteredAlone() {
        assertEquals(List.of(RunCommand.class), CommandSet.forArguments(List.of("--root", "/x", "--debug", "run", "busybox", "ps")));
    }

    @Test
    void theNamesAreTheCommandsOwn() {
        for (CommandSet.Named n : CommandSet.NAMED) {
            picocli.CommandLine.Command command = n.command().getAnnotation(picocli.CommandLine.Command.class);
            assertEquals(n.name(), command.name(), n.command().getName());
            assertEquals(0, command.aliases().length, n.command().getName() + " has aliases that CommandSet does not know");
        }
    }

    @Test
    void nestedCommandsComeWithTheirParent() {
        assertEquals(List.of(dev.nvjrun.launcher.gpu.GpuCommand.class), CommandSet.forArguments(List.of("gpu", "info", "--json")));
    }

    @Test
    void helpUnknownCommandsAndBareLinesGetEverything() {
        assertEquals(CommandSet.ALL, CommandSet.forArguments(List.of("--help")));
        assertEquals(CommandSet.ALL, CommandSet.forArguments(List.of("help", "run")));
        assertEquals(CommandSet.ALL, CommandSet.forArguments(List.of("frobnicate")));
        assertEquals(CommandSet.ALL, CommandSet.forArguments(List.of()));
    }

    @Test
    void runStillStopsAtTheImageWhenRegisteredAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
        // Without run's stop-at-image setting, "-c" after the image would be read as --cpu-shares.
        CommandLineTest.Run r = CommandLineTest.run("--root", root.toString(), "run", "--network", "none",
                "No/Such:Image", "sh", "-c", "true");
        assertEquals(125, r.status());
        assertEquals(false, r.err().contains("--cpu-shares"), r.err());
        assertEquals(true, r.err().contains("No/Such:Image"), r.err());
    }
}
