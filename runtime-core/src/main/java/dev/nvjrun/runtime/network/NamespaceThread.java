package dev.nvjrun.runtime.network;

/**
 * Work that changes the calling thread's network namespace (unshare(2), setns(2)) done on a platform
 * thread of its own, which ends with it: no other JVM thread ever runs in another namespace.
 */
public final class NamespaceThread {
    private NamespaceThread() {
    }

    /**
     * Runs {@code work} on a new thread named {@code name} and returns when that thread has ended,
     * rethrowing what the work threw. An interrupt does not cut the wait short (it is kept for the
     * caller): a failure must never be reported while the thread could still change the host.
     */
    public static void run(String name, Runnable work) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
