package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;


/** The packaged nvjrun (build/bin), run as a user runs it: through a shell, with a state root of its own. */
final class Shell {
    private final Distribution dist = Distribution.installed();
    private final Path root;

    Shell(Path root) {
        this.root = root;
    }

    /** Runs a script with build/bin first on PATH and NVJRUN_ROOT set to this shell's state root. */
    Distribution.Result sh(String script) throws IOException, InterruptedException {
        return dist.sh(script, Map.of("NVJRUN_ROOT", root.toString()));
    }

    /** A script with the given terminal as its controlling terminal and its stdin, stdout and stderr. */
    Process startOnTerminal(String script, Pty terminal) throws IOException {
        ProcessBuilder pb = dist.command(List.of("setsid", "--ctty", "--wait", "/bin/sh", "-c", script), Map.of("NVJRUN_ROOT", root.toString()));
        pb.redirectInput(terminal.slave()).redirectOutput(terminal.slave()).redirectError(terminal.slave());
        return pb.start();
    }

    /** Imports a busybox-static image as e2e/busybox, built in scratch. */
    void importBusybox(Path scratch) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            throw new IllegalStateException("these tests need /bin/busybox; apt-get install busybox-static");
        }
        Path rootfs = scratch.resolve("rootfs");
        Distribution.Result r = sh("set -e; mkdir -p " + rootfs + "/bin " + rootfs + "/etc; cp /bin/busybox " + rootfs + "/bin/; "
                + "for a in $(/bin/busybox --list); do [ $a = busybox ] || ln -s busybox " + rootfs + "/bin/$a; done; "
                + "echo root:x:0:0:root:/root:/bin/sh > " + rootfs + "/etc/passwd; "
                + "tar -C " + rootfs + " -cf " + scratch.resolve("busybox.tar") + " . && nvjrun import " + scratch.resolve("busybox.tar") + " e2e/busybox");
        if (r.status() != 0) {
            throw new IllegalStateException("cannot import the busybox image: " + r.err());
        }
    }
}
