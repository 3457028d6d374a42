package dev.nvjrun.driver.version;

import dev.nvjrun.driver.DriverDiscoveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version of the loaded nvidia kernel module, from {@code <procRoot>/driver/nvidia/version}. */
public final class KernelModuleVersion {

    /**
     * Matches both "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar ..." and the
     * open module's "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.15  Release ...".
     */
    private static final Pattern NVRM = Pattern.compile(
            "^NVRM version: NVIDIA UNIX .*?Kernel Module(?: for \\S+)?\\s+(\\d+(?:\\.\\d+)+)\\s", Pattern.MULTILINE);

    private KernelModuleVersion() {
    }

    public static String read(Path procRoot) throws DriverDiscoveryException {
        Path file = procRoot.resolve("driver/nvidia/version");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new DriverDiscoveryException("the NVIDIA kernel module is not loaded: " + file
                    + " does not exist. Load it with modprobe nvidia (or install the driver)", e);
        } catch (IOException e) {
            throw new DriverDiscoveryException("cannot read the NVIDIA kernel module version from " + file
                    + " (" + e.getMessage() + "). Check that /proc is mounted and readable", e);
        }
        return parse(text, file);
    }

    static String parse(String text, Path file) throws DriverDiscoveryException {
        Matcher m = NVRM.matcher(text + "\n");
        if (!m.find()) {
            throw new DriverDiscoveryException("cannot find the NVIDIA kernel module version in " + file
                    + ": it has no \"NVRM version: ... Kernel Module <version>\" line. Reinstall the NVIDIA driver");
        }
        return m.group(1);
    }
}
