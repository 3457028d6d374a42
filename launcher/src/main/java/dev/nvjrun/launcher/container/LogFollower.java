package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerStatus;
import dev.nvjrun.runtime.container.log.LogEntry;
import dev.nvjrun.runtime.container.log.LogFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Reads a container's json-file log, rotated files first, and writes stdout entries to one stream and stderr
 * entries to the other; with {@code follow} keeps reading the current file (across rotations) until the
 * container is no longer running. A line that is not an entry (a crash may truncate the last) is skipped
 * with a warning.
 */
final class LogFollower {
    /** Which entries, and how: {@code tail} < 0 for all; null times for no bound. */
    record Selection(int tail, Instant since, Instant until, boolean timestamps) {
        static final Selection ALL = new Selection(-1, null, null, false);
    }

    private final ContainerRuntime runtime;
    private final String id;
    private final OutputStream out;
    private final OutputStream err;
    private final PrintWriter warnings;
    private final Selection selection;
    private final Deque<LogEntry> tail = new ArrayDeque<>();

    LogFollower(ContainerRuntime runtime, String id, OutputStream out, OutputStream err, PrintWriter warnings, Selection selection) {
        this.runtime = runtime;
        this.id = id;
        this.out = out;
        this.err = err;
        this.warnings = warnings;
        this.selection = selection;
    }

    void copy(boolean follow) throws IOException, InterruptedException {
        Path current = runtime.logFile(id);
        boolean running = follow && isRunning();
        for (Path rotated : new LogFiles(current).oldestFirst()) {
            if (!rotated.equals(current)) {
                try (FileChannel ch = FileChannel.open(rotated, StandardOpenOption.READ)) {
                    ByteArrayOutputStream rest = new ByteArrayOutputStream();
                    readAll(ch, rest, rotated, true);
                    lastLine(rest, rotated, true);
                } catch (NoSuchFileException rotatedAway) {
                    // rotated out of existence while we listed: its entries are gone, as in Docker
                }
            }
        }
        OpenLog log = OpenLog.of(current);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        try {
            if (log != null) {
                readAll(log.channel(), pending, current, true);
            }
            if (!running) {
                lastLine(pending, current, true);
            }
            flushTail();
            while (running) {
                running = isRunning(); // one more read after the exit was seen, so the last lines are never lost
                if (log != null) {
                    readAll(log.channel(), pending, current, false);
                }
                if (log == null || log.rotated(current)) {
                    if (log != null) {
                        readAll(log.channel(), pending, current, false); // what was written before the rename
                        log.channel().close();
                        lastLine(pending, current, false);
                    }
                    log = OpenLog.of(current);
                    if (log != null) {
                        readAll(log.channel(), pending, current, false);
                    }
                }
                if (running) {
                    Thread.sleep(50);
                } else {
                    lastLine(pending, current, false);
                }
            }
        } finally {
            if (log != null) {
                log.channel().close();
            }
        }
    }

    /** The file being followed, with its identity (device and inode) to notice a rotation by. */
    private record OpenLog(FileChannel channel, Object key) {
        static OpenLog of(Path file) throws IOException {
            try {
                Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                return new OpenLog(FileChannel.open(file, StandardOpenOption.READ), key);
            } catch (NoSuchFileException notYet) {
                return null;
            }
        }

        boolean rotated(Path file) throws IOException {
            try {
                return !Objects.equals(key, Files.readAttributes(file, BasicFileAttributes.class).fileKey())
                        || channel.size() < channel.position();
            } catch (NoSuchFileException gone) {
                return false;
            }
        }
    }

    private void readAll(FileChannel channel, ByteArrayOutputStream pending, Path file, boolean initial) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.read(buffer) > 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    line(pending.toString(StandardCharsets.UTF_8), file, initial);
                    pending.reset();
                } else {
                    pending.write(b);
                }
            }
            buffer.clear();
        }
        out.flush();
        err.flush();
    }

    /** What follows the last newline once nothing more will be written: a line a crash cut short. */
    private void lastLine(ByteArrayOutputStream pending, Path file, boolean initial) throws IOException {
        if (pending.size() > 0) {
            line(pending.toString(StandardCharsets.UTF_8), file, initial);
            pending.reset();
        }
    }

    private void line(String line, Path file, boolean initial) throws IOException {
        if (line.isBlank()) {
            return;
        }
        LogEntry entry = LogEntry.parse(line).orElse(null);
        if (entry == null) {
            warnings.println("nvjrun: warning: skipped a line of " + file + " that is not a log entry: "
                    + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
            warnings.flush();
            return;
        }
        if (selection.since() != null && entry.time().isBefore(selection.since())
                || selection.until() != null && entry.time().isAfter(selection.until())) {
            return;
        }
        if (initial && selection.tail() >= 0) {
            tail.addLast(entry);
            if (tail.size() > selection.tail()) {
                tail.removeFirst();
            }
            return;
        }
        write(entry);
    }

    private void flushTail() throws IOException {
        while (!tail.isEmpty()) {
            write(tail.removeFirst());
        }
        out.flush();
        err.flush();
    }

    private void write(LogEntry entry) throws IOException {
        OutputStream to = entry.stderr() ? err : out;
        if (selection.timestamps()) {
            to.write((rfc3339Nano(entry.time()) + " ").getBytes(StandardCharsets.UTF_8));
        }
        to.write(entry.text().getBytes(StandardCharsets.UTF_8));
    }

    /** Go's RFC3339Nano in UTC, as docker logs -t prints it: no trailing zeros in the fraction. */
    static String rfc3339Nano(Instant time) {
        String seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(time.atOffset(ZoneOffset.UTC));
        String fraction = time.getNano() == 0 ? "" : ("." + String.format("%09d", time.getNano())).replaceAll("0+$", "");
        return seconds + fraction + "Z";
    }

    private boolean isRunning() {
        try {
            return runtime.inspect(id).status() == ContainerStatus.RUNNING;
        } catch (RuntimeException gone) {
            return false;
        }
    }
}
