package dev.nvjrun.runtime.network.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the host's firewall tools (iptables-save/-restore, nft); links, addresses and routes are
 * netlink requests ({@link HostLinks}), and tests use ip and nsenter through it to look at the result.
 */
public class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final long TIMEOUT_SECONDS = 30;

    /** Runs the command and fails with a {@link CommandFailedException} unless it exits 0. */
    public CommandResult run(List<String> command) {
        return run(command, null);
    }

    /** Runs the command with {@code stdin} as its input and fails unless it exits 0. */
    public CommandResult run(List<String> command, String stdin) {
        CommandResult result = attempt(command, stdin);
        if (!result.succeeded()) {
            throw new CommandFailedException(result);
        }
        return result;
    }

    /** Runs the command and returns its result whatever its exit status. */
    public CommandResult attempt(List<String> command, String stdin) {
        LOG.debug("running {}", command);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new CommandFailedException("host command `" + String.join(" ", command)
                    + "` could not be started (" + e.getMessage() + "); install "
                    + packageOf(command.get(0)) + " and check PATH", e);
        }
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited before reading its input; its exit status and stderr say why.
            LOG.debug("{} did not read its input: {}", command, e.getMessage());
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CommandFailedException("host command `" + String.join(" ", command)
                        + "` did not finish within " + TIMEOUT_SECONDS + " s; check for a hung iptables lock", null);
            }
            return new CommandResult(List.copyOf(command), process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while waiting for `" + String.join(" ", command) + "`", e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ip" -> "iproute2";
            case "nsenter" -> "util-linux";
            case "iptables", "iptables-save", "iptables-restore" -> "iptables";
            default -> tool;
        };
    }
}
