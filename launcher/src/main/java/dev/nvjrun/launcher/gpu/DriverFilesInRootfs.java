package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.catalog.RootedPath;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.ContainerFile;
import dev.nvjrun.driver.edits.DriverInjection;
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

/**
 * The driver injection's part of a GPU container's root beyond its mounts: the SONAME links and the
 * ld.so.conf.d entry, written on the host before the start, and the host's ldconfig command line.
 *
 * <p>The driver libraries reach the container as bind mounts that the helper performs at start, so on
 * the root as it lies here {@code ldconfig -r} would find nothing. As libnvidia-container does, the
 * helper runs the command inside the container's mount namespace once its mounts are made (runtime-core's
 * {@code ContainerSpec.ldconfig}): one exec, no mount left anywhere, a failure reported like any other
 * start failure.
 */
public final class DriverFilesInRootfs {

    private final ContainerEdits edits;

    public DriverFilesInRootfs(ContainerEdits edits) {
        this.edits = edits;
    }

    /** Writes the links and files into the mounted root, its paths resolved like a chroot's. */
    public void install(Path rootfs) {
        try {
                        for (Symlink link : edits.symlinks()) {
                Path at = RootedPath.resolveForWriting(rootfs, link.containerPath());
                Files.createDirectories(at.getParent());
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(at, Path.of(link.target()));
                }
            }
            for (ContainerFile file : edits.files()) {
                Path at = RootedPath.resolveForWriting(rootfs, file.containerPath());
                Files.createDirectories(at.getParent());
                Files.writeString(at, file.content(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot put the NVIDIA driver files into the container's root file system: "
                    + e.getMessage() + "; check that the image's /usr/local and /etc are ordinary directories");
        }
    }

    /**
     * {@code ldconfig -r ROOT} and the container's driver library directories, for the helper to run
     * after the mounts; empty when the host has no ldconfig or the container gets no library.
     */
    public List<String> ldconfigCommand(Path rootfs) {
        Set<String> libraryDirs = new LinkedHashSet<>();
        for (Mount mount : edits.mounts()) {
            if (mount instanceof Mount.DriverVolume) {
                libraryDirs.addAll(List.of(DriverInjection.LIB64, DriverInjection.LIB32));
            } else if (isLibrary(mount.containerPath())) {
                libraryDirs.add(mount.containerPath().substring(0, mount.containerPath().lastIndexOf('/')));
            }
        }
        if (edits.ldconfig().isEmpty() || libraryDirs.isEmpty()) {
            return List.of();
        }
        List<String> command = new ArrayList<>(edits.ldconfig().get().command(rootfs));
        command.addAll(libraryDirs);
        return command;
    }

    private static boolean isLibrary(String containerPath) {
        return containerPath.startsWith(DriverInjection.LIB64 + "/") || containerPath.startsWith(DriverInjection.LIB32 + "/");
    }
}
