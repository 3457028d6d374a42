package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.ContainerFile;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.edits.LdconfigRun;
import dev.nvjrun.driver.edits.Mount;
import dev.nvjrun.driver.edits.Symlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The host-side half of a GPU container's driver injection, done on its mounted root before it
 * starts: mount targets, SONAME links, the ld.so.conf.d entry, and the host's ldconfig.
 *
 * <p>The driver libraries reach the container as bind mounts that the helper performs at start, so
 * on the root as it lies here the files under /usr/local/nvidia are empty placeholders and
 * {@code ldconfig -r} alone would cache nothing. libnvidia-container runs ldconfig inside the
 * container's mount namespace after its mounts; the equivalent here is a throw-away private mount
 * namespace ({@code unshare --mount}) in which the same library files are bound onto the same
 * placeholders before {@code ldconfig -r ROOT} runs. The cache and links it writes go to the
 * container's root file system; the mounts vanish with the namespace, so nothing is left mounted
 * on the host, even when ldconfig fails.
 */
public final class DriverFilesInRootfs {

    private static final List<String> UNSHARE = List.of("/usr/bin/unshare", "/bin/unshare");
    /** Binds pairs of arguments up to "--", then execs the rest (the ldconfig command). */
    private static final String BIND_THEN_EXEC =
            "while [ \"$1\" != -- ]; do mount --bind \"$1\" \"$2\" || exit 1; shift 2; done; shift; exec \"$@\"";
    private static final long LDCONFIG_TIMEOUT_SECONDS = 60;

    private final ContainerEdits edits;

    public DriverFilesInRootfs(ContainerEdits edits) {
        this.edits = edits;
    }

    public void install(Path rootfs) {
        try {
            RootfsPath paths = new RootfsPath(rootfs);
            List<String> binds = new ArrayList<>();
            Set<String> libraryDirs = new LinkedHashSet<>();
            for (Mount mount : edits.mounts()) {
                Path host = switch (mount) {
                    case Mount.Bind b -> b.hostPath();
                    case Mount.DriverVolume v -> v.hostDirectory();
                };
                Path target = placeholder(paths, mount.containerPath(), Files.isDirectory(host));
                if (mount instanceof Mount.DriverVolume) {
                    binds.addAll(List.of(host.toString(), target.toString()));
                    libraryDirs.addAll(List.of(DriverInjection.LIB64, DriverInjection.LIB32));
                } else if (isLibrary(mount.containerPath())) {
                    binds.addAll(List.of(host.toString(), target.toString()));
                    libraryDirs.add(mount.containerPath().substring(0, mount.containerPath().lastIndexOf('/')));
                }
            }
            for (Symlink link : edits.symlinks()) {
                Path at = paths.resolve(link.containerPath());
                Files.createDirectories(at.getParent());
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(at, Path.of(link.target()));
                }
            }
            for (ContainerFile file : edits.files()) {
                Path at = paths.resolve(file.containerPath());
                Files.createDirectories(at.getParent());
                Files.writeString(at, file.content(), StandardCharsets.UTF_8);
            }
            if (edits.ldconfig().isPresent() && !libraryDirs.isEmpty()) {
                ldconfig(edits.ldconfig().get(), rootfs, binds, libraryDirs);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot put the NVIDIA driver files into the container's root file system: "
                    + e.getMessage() + "; check that the image's /usr/local and /etc are ordinary directories");
        }
    }

    private static boolean isLibrary(String containerPath) {
        return containerPath.startsWith(DriverInjection.LIB64 + "/") || containerPath.startsWith(DriverInjection.LIB32 + "/");
    }

    /** The mount target, as the helper would create it, so that a bind onto it works here too. */
    private static Path placeholder(RootfsPath paths, String containerPath, boolean directory) throws IOException {
        Path target = paths.resolve(containerPath);
        if (directory) {
            Files.createDirectories(target);
        } else {
            Files.createDirectories(target.getParent());
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(target);
            }
        }
        return target;
    }

    private static void ldconfig(LdconfigRun run, Path rootfs, List<String> binds, Set<String> libraryDirs) throws IOException {
        String unshare = UNSHARE.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IOException("unshare (util-linux) is not installed, so ldconfig cannot see the driver libraries"));
        List<String> command = new ArrayList<>(List.of(unshare, "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", BIND_THEN_EXEC, "sh"));
        command.addAll(binds);
        command.add("--");
        command.addAll(run.command(rootfs));
        command.addAll(libraryDirs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(LDCONFIG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(run.ldconfig() + " did not finish in " + LDCONFIG_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while " + run.ldconfig() + " ran");
        }
        if (p.exitValue() != 0) {
            throw new IOException(run.ldconfig() + " -r failed with status " + p.exitValue() + " (" + output + ")");
        }
    }
}
