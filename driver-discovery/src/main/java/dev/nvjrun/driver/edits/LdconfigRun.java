package dev.nvjrun.driver.edits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs the host's ldconfig over the container's root, as libnvidia-container does, so that the
 * dynamic linker finds the driver without LD_LIBRARY_PATH. Run it after the mounts, symlinks and
 * files of the edits are in place, inside the container's mount namespace.
 *
 * @param ldconfig the host's glibc ldconfig binary
 */
public record LdconfigRun(Path ldconfig) {

    /** Where distributions keep the real binary; Ubuntu's /sbin/ldconfig is a script around ldconfig.real. */
    static final List<String> CANDIDATES = List.of("/sbin/ldconfig.real", "/sbin/ldconfig", "/usr/sbin/ldconfig");

    /** The host's ldconfig, if it has one. */
    public static Optional<LdconfigRun> onHost() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().map(LdconfigRun::new);
    }

    /**
     * The command line: {@code ldconfig -r ROOT} reads ROOT/etc/ld.so.conf (which includes
     * ld.so.conf.d on glibc distributions), writes ROOT/etc/ld.so.cache and the SONAME links.
     */
    public List<String> command(Path containerRoot) {
        return List.of(ldconfig.toString(), "-r", containerRoot.toString());
    }
}
