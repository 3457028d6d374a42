package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerStatus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies a detached container's log to an output, and with {@code follow} keeps copying until the container exits. */
record LogFollower(ContainerRuntime runtime, String id) {

    void copy(OutputStream out, boolean follow) throws IOException, InterruptedException {
        Path log = runtime.logFile(id);
        long position = 0;
        byte[] buffer = new byte[65536];
        while (true) {
            boolean running = follow && isRunning();
            if (Files.exists(log)) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    file.seek(position);
                    int n;
                    while ((n = file.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        position += n;
                    }
                }
                out.flush();
            }
            // the log is read once more after the exit was seen, so the last lines are never lost
            if (!running) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private boolean isRunning() {
        try {
            return runtime.inspect(id).status() == ContainerStatus.RUNNING;
        } catch (RuntimeException gone) {
            return false;
        }
    }
}
