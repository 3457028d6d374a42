package dev.nvjrun.nvml;

import com.sun.jna.Native;
import dev.nvjrun.nvml.binding.NvmlLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Entry point: load libnvidia-ml and open an NVML session on it. */
public final class Nvml {
    /** The SONAME every NVIDIA driver installs. */
    public static final String SONAME = "libnvidia-ml.so.1";

    private Nvml() {
    }

    /**
     * Loads exactly this file (found by the caller, e.g. through the driver root's ld.so.cache) and
     * initialises NVML on it.
     */
    public static NvmlSession open(Path library) {
        return open(library, EnumSet.noneOf(InitFlag.class));
    }

    public static NvmlSession open(Path library, Set<InitFlag> flags) {
        Path absolute = library.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new NvmlException(absolute.toString(), NvmlReturn.ERROR_LIBRARY_NOT_FOUND.code(),
                    "cannot load NVML: " + absolute + " does not exist or is not a file."
                            + " Install the NVIDIA driver or set the driver root to where it is installed.");
        }
        return new NvmlSession(load(absolute.toString()), absolute.toString(), flags);
    }

    /** Initialises NVML on the libnvidia-ml.so.1 the system loader finds. */
    public static NvmlSession openDefault() {
        return new NvmlSession(load(SONAME), SONAME, EnumSet.noneOf(InitFlag.class));
    }

    private static NvmlLibrary load(String nameOrPath) {
        try {
            return Native.load(nameOrPath, NvmlLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException(nameOrPath, NvmlReturn.ERROR_LIBRARY_NOT_FOUND.code(),
                    "cannot load NVML from " + nameOrPath + ": " + firstLine(e.getMessage())
                            + ". Install the NVIDIA driver or set the driver root to where it is installed.");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown reason";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
