package dev.nvjrun.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTreeTest {

    @Test
    void holdsEveryCommandWithItsNestedOnes() {
        CommandLine tree = CommandTree.full();
        for (Class<?> command : CommandSet.ALL) {
            String name = command.getAnnotation(CommandLine.Command.class).name();
            assertTrue(tree.getSubcommands().containsKey(name), name);
        }
        assertTrue(tree.getSubcommands().get("gpu").getSubcommands().containsKey("info"));
        assertEquals("nvjrun", tree.getCommandName());
    }
}
