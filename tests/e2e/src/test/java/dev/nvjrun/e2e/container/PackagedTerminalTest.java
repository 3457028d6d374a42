package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nvjrun run -t} and {@code exec -t} on a real pseudo-terminal, the packaged command being the
 * terminal's foreground job: the container sees the terminal's window size and its changes, typed
 * keys (Ctrl-C included) reach it, and the terminal's modes come back however the container ends.
 */
class PackagedTerminalTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static Shell shell;

    @BeforeAll
    static void importBusybox() throws Exception {
        shell = new Shell(tmp.resolve("state"));
        shell.importBusybox(tmp);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        shell.sh(Distribution.CLEAN_ROOT);
    }

    @Test
    void containerSeesTheWindowSizeAndFollowsItsChanges() throws Exception {
        try (Pty pty = Pty.open(33, 77)) {
            assertEquals(0, exitStatus(shell.startOnTerminal("nvjrun run --rm --network none -t e2e/busybox stty size", pty)), pty.screen());
            assertTrue(pty.screen().contains("33 77\n"), pty.screen());
        }
        try (Pty pty = Pty.open(24, 80)) {
            Process run = shell.startOnTerminal("nvjrun run --rm --network none -t e2e/busybox sh -c "
                    + "'trap \"stty size; n=\\$((n+1)); [ \\$n = 2 ] && exit 7\" WINCH; echo ready; while :; do sleep 0.05; done'", pty);
            pty.awaitScreen("ready", LIMIT);
            pty.resize(40, 100);
            pty.awaitScreen("40 100\n", LIMIT);
            pty.resize(50, 120);
            assertEquals(7, exitStatus(run), pty.screen());
            assertTrue(pty.screen().contains("50 120\n"), pty.screen());
        }
    }

    @Test
    void execGetsTheWindowSizeToo() throws Exception {
        Result started = shell.sh("nvjrun run -d --network none --name tty-exec e2e/busybox sleep 60");
        assertEquals(0, started.status(), started.err());
        try (Pty pty = Pty.open(21, 61)) {
            assertEquals(0, exitStatus(shell.startOnTerminal("nvjrun exec -t tty-exec stty size", pty)), pty.screen());
            assertTrue(pty.screen().contains("21 61\n"), pty.screen());
        } finally {
            shell.sh("nvjrun rm -f tty-exec");
        }
    }

    @Test
    void typedKeysReachTheContainerAndCtrlCEndsItWithTheTerminalRestored() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            String before = modes(pty);
            Process run = shell.startOnTerminal("nvjrun run --rm --network none -it e2e/busybox sh -c 'echo ready; read line; echo \"got <$line>\"'", pty);
            pty.awaitScreen("ready", LIMIT);
            assertNotEquals(before, modes(pty), "while the container runs, the caller's terminal is raw");
            pty.type("hello\r");
            assertEquals(0, exitStatus(run), pty.screen());
            assertTrue(pty.screen().contains("got <hello>"), pty.screen());
            assertEquals(before, modes(pty), "the terminal's modes are restored");

            // PID 1 ignores SIGINT without a handler (as in Docker), so the sleep runs under --init.
            Process sleeping = shell.startOnTerminal("nvjrun run --rm --network none -it --init e2e/busybox sh -c 'echo sleeping; exec sleep 100'", pty);
            pty.awaitScreen("sleeping", LIMIT);
            pty.type("\u0003");
            assertEquals(130, exitStatus(sleeping), pty.screen());
            assertEquals(before, modes(pty), "the terminal's modes are restored after Ctrl-C");
        }
    }

    @Test
    void terminalModesComeBackWhenTheContainerIsKilled() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            String before = modes(pty);
            Process run = shell.startOnTerminal("nvjrun run --rm --network none -it --name tty-killed e2e/busybox sh -c 'echo ready; exec sleep 100'", pty);
            pty.awaitScreen("ready", LIMIT);
            assertNotEquals(before, modes(pty));
            Result kill = shell.sh("nvjrun kill tty-killed");
            assertEquals(0, kill.status(), kill.err());
            assertEquals(137, exitStatus(run), pty.screen());
            assertEquals(before, modes(pty));
        }
    }

    @Test
    void interactiveTerminalNeedsATerminalOnStdinAsInDocker() throws Exception {
        String containers = shell.sh("nvjrun ps -a -q").out();
        Result run = shell.sh("echo input | nvjrun run --rm --network none -it e2e/busybox true");
        assertEquals(125, run.status(), run.err());
        assertEquals("nvjrun: the input device is not a TTY; drop -t to pipe input into the container, or drop -i\n", run.err());
        assertEquals(containers, shell.sh("nvjrun ps -a -q").out(), "nothing was created");

        Result started = shell.sh("nvjrun run -d --network none --name tty-pipe e2e/busybox sleep 60");
        assertEquals(0, started.status(), started.err());
        try {
            Result exec = shell.sh("echo input | nvjrun exec -it tty-pipe true");
            assertEquals(125, exec.status(), exec.err());
            assertTrue(exec.err().contains("the input device is not a TTY"), exec.err());
        } finally {
            shell.sh("nvjrun rm -f tty-pipe");
        }

        // -t alone needs no terminal: the output comes through the container's pty (hence \r\n), as in Docker.
        Result tOnly = shell.sh("nvjrun run --rm --network none -t e2e/busybox echo hi </dev/null");
        assertEquals(0, tOnly.status(), tOnly.err());
        assertEquals("hi\r\n", tOnly.out());
    }

    /** The terminal's modes as {@code stty -g} prints them. */
    private static String modes(Pty pty) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stty", "-g", "-F", pty.slaveName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static int exitStatus(Process p) throws InterruptedException {
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("nvjrun did not end within " + LIMIT);
        }
        return p.exitValue();
    }
}
