package dev.nvjrun.runtime.network.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {
    @TempDir
    Path dir;

    @Test
    void isReentrantForItsHolder() {
        StateLock lock = new StateLock(dir.resolve("a.lock"));
        try (StateLock.Held outer = lock.acquire(); StateLock.Held inner = lock.acquire()) {
            assertTrue(dir.resolve("a.lock").toFile().exists());
        }
        try (StateLock.Held again = lock.acquire()) {
            assertTrue(true, "released fully after both levels closed");
        }
    }

    @Test
    void excludesOtherProcessesWhileHeld() throws Exception {
        Path file = dir.resolve("b.lock");
        StateLock lock = new StateLock(file);
        try (StateLock.Held held = lock.acquire()) {
            // A second JVM, as a second nvjrun process would be, asks for the same lock without waiting.
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LockProbe.class.getName(), file.toString()).redirectErrorStream(true).start();
            assertTrue(probe.waitFor(10, TimeUnit.SECONDS));
            assertEquals("held", new String(probe.getInputStream().readAllBytes()).strip());
        }
    }

    @Test
    void serialisesThreadsUsingSeparateLockObjects() throws Exception {
        Path file = dir.resolve("c.lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                StateLock lock = new StateLock(file);
                for (int round = 0; round < 10; round++) {
                    try (StateLock.Held held = lock.acquire()) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, maxInside.get());
    }

    /** Run in a separate JVM: prints whether the lock file is free. */
    static final class LockProbe {
        public static void main(String[] args) throws Exception {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(Path.of(args[0]),
                    java.nio.file.StandardOpenOption.WRITE)) {
                System.out.println(channel.tryLock() == null ? "held" : "free");
            }
        }
    }
}
