package dev.nvjrun.runtime.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs one task per layer of an image in parallel (unpacking a load, downloading a pull) and
 * fails as a whole: the first failure is reported after every other layer has stopped and
 * deleted its staging directory, so a failed command never leaves half a layer behind.
 */
public final class LayerWork {
    private static final Logger LOG = LoggerFactory.getLogger(LayerWork.class);

    private LayerWork() {
    }

    /**
     * Runs {@code task} for layers 0..count-1 on at most {@code threads} threads.
     *
     * @param failure what a failure that is not an nvjrun exception reads as ("cannot unpack X")
     */
    /** How errors name layer {@code n} of {@code count}: "layer 2/5 (sha256:…) of busybox:latest". */
    public static String layerName(int n, int count, String digest, String of) {
        return "layer " + (n + 1) + "/" + count + " (" + digest + ") of " + of;
    }

    public static void runAll(int count, int threads, String failure, IntConsumer task) {
        if (count == 0) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, count)));
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                pending.add(pool.submit(() -> task.accept(n)));
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ImageException(failure + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(failure + ": interrupted; run the command again", e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                    LOG.warn("layer workers did not stop within 5 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
