package dev.nvjrun.plugin.daemon;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a clean stop. A JVM shutdown hook would exit with 143 or 130;
 * nvidia-docker-plugin exits 0 after draining, and service managers count on that.
 */
final class SignalTrap implements AutoCloseable {

    private static final String[] SIGNALS = {"TERM", "INT"};

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    /** Installs the handlers; until {@link #close()}, TERM and INT only release {@link #await()}. */
    static SignalTrap install() {
        SignalTrap trap = new SignalTrap();
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            trap.previous.put(signal, Signal.handle(signal, s -> trap.signalled.countDown()));
        }
        return trap;
    }

    void await() throws InterruptedException {
        signalled.await();
    }

    /** Gives the signals back to whoever handled them before. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
