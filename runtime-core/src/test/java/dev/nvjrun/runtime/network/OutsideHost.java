package dev.nvjrun.runtime.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A machine "outside" the host, simulated by a named network namespace ({@code ip netns add})
 * joined to the host by a point-to-point veth in 198.18.0.0/15 (the range reserved for
 * benchmarks, so nothing real is ever addressed). It has no route to container subnets: a reply
 * reaches a container only if the host masqueraded the request.
 */
final class OutsideHost implements AutoCloseable {
    private final String name;
    private final String hostEnd;
    private final String hostAddress;
    private final String address;
    private final List<Process> servers = new ArrayList<>();

    private OutsideHost(String name, String hostEnd, String hostAddress, String address) {
        this.name = name;
        this.hostEnd = hostEnd;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    static OutsideHost create() throws IOException, InterruptedException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        int third = ThreadLocalRandom.current().nextInt(256);
        int fourth = ThreadLocalRandom.current().nextInt(63) * 4;
        String base = "198." + (18 + ThreadLocalRandom.current().nextInt(2)) + "." + third + ".";
        OutsideHost outside = new OutsideHost(String.format("nvjt-out-%04x", id), String.format("nvjto%04x", id),
                base + (fourth + 1), base + (fourth + 2));
        try {
            outside.ip("netns", "add", outside.name);
            outside.ip("link", "add", outside.hostEnd, "type", "veth", "peer", "name", "eth0", "netns", outside.name);
            outside.ip("addr", "add", outside.hostAddress + "/30", "dev", outside.hostEnd);
            outside.ip("link", "set", outside.hostEnd, "up");
            outside.ip("-n", outside.name, "addr", "add", outside.address + "/30", "dev", "eth0");
            outside.ip("-n", outside.name, "link", "set", "eth0", "up");
            outside.ip("-n", outside.name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            outside.close();
            throw e;
        }
        return outside;
    }

    /** This machine's address, where its servers listen. */
    String address() {
        return address;
    }

    /** The host's address as this machine sees it. */
    String hostAddress() {
        return hostAddress;
    }

    String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full);
    }

    /** Starts a server on this machine, its output going to {@code log}; it is stopped by {@link #close()}. */
    void startServer(java.nio.file.Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        servers.add(new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    @Override
    public void close() throws InterruptedException {
        servers.forEach(Process::destroyForcibly);
        for (Process server : servers) {
            server.waitFor(5, TimeUnit.SECONDS);
        }
        quietly("ip", "link", "del", hostEnd);
        quietly("ip", "netns", "del", name);
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip"));
        full.addAll(List.of(args));
        run(full);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes());
        if (!child.waitFor(20, TimeUnit.SECONDS) || child.exitValue() != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` failed: " + output);
        }
        return output;
    }

    private static void quietly(String... command) throws InterruptedException {
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            child.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // Cleanup is best effort; the test's own assertions report what matters.
        }
    }
}
