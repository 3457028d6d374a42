package dev.nvjrun.runtime.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Namespace files made and removed as ip netns does it, checked with ip itself; run as root. */
class NamespaceMountsTest {
    private static final Path NETNS = Path.of("/run/netns");

    private final CommandRunner commands = new CommandRunner();
    private final NamespaceMounts mounts = new NamespaceMounts();
    private final String name = String.format("nvjnsm%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    private final Path file = NETNS.resolve(name);

    @AfterEach
    void removeLeftovers() {
        commands.attempt(List.of("ip", "netns", "delete", name), null);
    }

    @Test
    void createdNamespaceIsANewNetworkNamespaceThatIpSeesAndDeletes() throws Exception {
        mounts.create(file);

        assertTrue(commands.run(List.of("ip", "netns", "list")).stdout().lines().anyMatch(l -> l.startsWith(name)));
        long inode = new NamespaceFile(file).inode();
        assertNotEquals(new NamespaceFile(Path.of("/proc/self/ns/net")).inode(), inode, "not the host's namespace");
        assertEquals(inode, new NamespaceFile(file).inode(), "the same namespace every time it is opened");
        String links = commands.run(List.of("ip", "-n", name, "-o", "link")).stdout();
        assertEquals(1, links.lines().count(), "only loopback: " + links);
        assertTrue(mountinfo().contains(" " + file + " "), "bound on the file");
        assertTrue(sharedMount(NETNS), "the directory propagates to mount namespaces made later");
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("nvjrun-netns-create")),
                "the thread that entered the namespace has ended");

        commands.run(List.of("ip", "netns", "delete", name));
        assertFalse(Files.exists(file));
    }

    @Test
    void deleteRemovesWhatIpNetnsAddMadeAndIsSafeOnAPlainFile() throws Exception {
        commands.run(List.of("ip", "netns", "add", name));

        mounts.delete(file);

        assertFalse(Files.exists(file));
        assertFalse(mountinfo().contains(" " + file + " "), "no mount left behind");
        assertFalse(commands.run(List.of("ip", "netns", "list")).stdout().contains(name));

        Files.createFile(file);
        mounts.delete(file);
        assertFalse(Files.exists(file), "a file a failed create left is removed too");
    }

    @Test
    void creatingOverAnExistingFileFailsAndLeavesItAlone() throws Exception {
        mounts.create(file);
        long inode = new NamespaceFile(file).inode();

        IOException error = assertThrows(IOException.class, () -> mounts.create(file));

        assertTrue(error.getMessage().contains("already exists"), error.getMessage());
        assertEquals(inode, new NamespaceFile(file).inode(), "the first namespace is still bound there");
    }

    private static String mountinfo() throws IOException {
        return Files.readString(Path.of("/proc/self/mountinfo"));
    }

    private static boolean sharedMount(Path directory) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" "))
                .filter(fields -> fields[4].equals(directory.toString()))
                .reduce((first, last) -> last).map(fields -> String.join(" ", fields).contains(" shared:"))
                .orElse(false);
    }
}
