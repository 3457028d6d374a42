package dev.nvjrun.launcher.container;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.nvjrun.runtime.cgroup.CgroupManager;
import dev.nvjrun.runtime.container.DockerDefaults;
import dev.nvjrun.runtime.helper.LibC;
import dev.nvjrun.runtime.snapshot.Mounts;
import dev.nvjrun.runtime.spec.Capability;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One-time initialisation that every container start needs and that depends on nothing the command line
 * says: SLF4J's binding, java.time's formatters, JNA's native binding of libc, jackson-core's parser, the
 * JDK's security providers (SHA-256, for a bridge network's names), cgroup detection and Docker's default seccomp program (compiled once
 * per process: the spec takes it from here). Run on the spare core while the main thread
 * builds the command line model (picocli's reflection), like Spring Boot's BackgroundPreinitializer.
 * Measured: about 5 ms of a 175 ms run --rm (interleaved runs; the second core is also busy with the
 * JIT, so moving more work there did not pay: defining picocli's annotation proxy classes here gained
 * nothing). Side-effect free: it binds, loads and computes, and writes nothing; if any of it fails the
 * main thread meets the same failure and reports it properly.
 */
public final class StartWarmup {
    private static final Set<Class<?>> CONTAINER_STARTS = Set.of(RunCommand.class, CreateCommand.class, StartCommand.class,
            ExecCommand.class);

    private StartWarmup() {
    }

    /** Starts the warm-up on a daemon thread when {@code commands} (those a command line registers) start a container. */
    public static void beginIfStarting(List<Class<?>> commands) {
        if (startsContainers(commands)) {
            Thread thread = new Thread(() -> warm(), "nvjrun-start-warmup");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static boolean startsContainers(List<Class<?>> commands) {
        return commands.size() == 1 && CONTAINER_STARTS.contains(commands.get(0));
    }

    /** The warm-up itself, on the caller's thread; false when a step failed (logged at debug level). */
    static boolean warm() {
        try {
            LoggerFactory.getILoggerFactory(); // SLF4J's binding and its configuration, here rather than in main's first logger
            Instant.EPOCH.toString(); // java.time's ISO formatters, for the state file's timestamps
            Mounts.bindLibrary();
            LibC.INSTANCE.strerror(0);
            try (JsonParser parser = new JsonFactory().createParser("{\"warm\":[1,\"up\"]}")) {
                while (parser.nextToken() != null) {
                    parser.getText();
                }
            }
            MessageDigest.getInstance("SHA-256").digest(new byte[1]);
            CgroupManager.hostIsUnified();
            DockerDefaults.security(Capability.DOCKER_DEFAULT, false, false); // compiles the default seccomp program once, for the spec
            return true;
        } catch (Exception | LinkageError e) {
            LoggerFactory.getLogger(StartWarmup.class).debug("start warm-up stopped early; the start does the same work itself", e);
            return false;
        }
    }
}
