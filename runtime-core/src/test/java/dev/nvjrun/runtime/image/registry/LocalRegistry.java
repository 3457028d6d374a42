package dev.nvjrun.runtime.image.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real CNCF distribution registry (Debian's {@code docker-registry}) on a free loopback port,
 * storing into a test directory; optionally with htpasswd (basic) authentication. Stopped by its pid.
 */
public final class LocalRegistry implements AutoCloseable {

    static final String USER = "nvjrun";
    static final String PASSWORD = "secret";
    // bcrypt of PASSWORD, fixed so that the test needs no htpasswd tool
    private static final String BCRYPT = "$2a$12$kdgAGQtDZm8diUFnd8E7zedz134/kdRy2pewM.WiYHt5MptkUw2cW";

    private final Process process;
    private final int port;
    private final Path log;

    private LocalRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** An open registry (no login): also what tests/e2e uses, through this module's test jar. */
    public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, Auth.NONE, null);
    }

    static LocalRegistry start(Path dir, boolean withLogin) throws IOException, InterruptedException {
        return start(dir, withLogin ? Auth.BASIC : Auth.NONE, null);
    }

    enum Auth { NONE, BASIC, TOKEN }

    /** {@code tokenServer} is needed for {@link Auth#TOKEN}: the registry trusts its certificate. */
    static LocalRegistry start(Path dir, Auth mode, TokenServer tokenServer) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("storage"));
        String auth = "";
        if (mode == Auth.BASIC) {
            Files.writeString(dir.resolve("htpasswd"), USER + ":" + BCRYPT + "\n");
            auth = "auth:\n  htpasswd:\n    realm: nvjrun-test\n    path: " + dir.resolve("htpasswd") + "\n";
        } else if (mode == Auth.TOKEN) {
            auth = "auth:\n  token:\n    realm: " + tokenServer.realm() + "\n    service: " + TokenServer.SERVICE
                    + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + tokenServer.certificate() + "\n";
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + dir.resolve("storage") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
        Path log = dir.resolve("registry.log");
        Process process;
        try {
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("test needs docker-registry: apt-get install docker-registry", e);
        }
        LocalRegistry registry = new LocalRegistry(process, port, log);
        registry.awaitReady();
        return registry;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("docker-registry did not answer within 10 s: " + Files.readString(log));
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
