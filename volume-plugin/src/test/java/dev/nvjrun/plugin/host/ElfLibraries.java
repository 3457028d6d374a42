package dev.nvjrun.plugin.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds real ELF shared objects with the real gcc, the way a driver ships them. */
public final class ElfLibraries {

    private ElfLibraries() {
    }

    /** Compiles {@code dir/fileName} with the given SONAME and returns its path. */
    public static Path sharedObject(Path dir, String fileName, String soname) throws IOException, InterruptedException {
        Path source = dir.resolve(fileName + ".c");
        Files.writeString(source, "int nvjrun_" + Math.abs(fileName.hashCode()) + "(void) { return 42; }\n");
        Path output = dir.resolve(fileName);
        run(List.of("gcc", "-shared", "-fPIC", "-Wl,-soname," + soname, "-o", output.toString(), source.toString()));
        Files.delete(source);
        return output;
    }

    /** Reads the SONAME of a shared object with the real readelf. */
    public static String soname(Path library) throws IOException, InterruptedException {
        String out = run(List.of("readelf", "-d", library.toString()));
        for (String line : out.split("\n")) {
            int start = line.indexOf("Library soname: [");
            if (start >= 0) {
                return line.substring(start + 17, line.indexOf(']', start));
            }
        }
        return null;
    }

    /** The driver files of a fake 535.104.05 driver under {@code dir}: real libraries and one binary. */
    public static List<VolumeFile> driverFiles(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cuda = sharedObject(dir, "libcuda.so.535.104.05", "libcuda.so.1");
        Path nvml = sharedObject(dir, "libnvidia-ml.so.535.104.05", "libnvidia-ml.so.1");
        Path glx = sharedObject(dir, "libGLX_nvidia.so.535.104.05", "libGLX_nvidia.so.0");
        Path lib32 = dir.resolve("32");
        Files.createDirectories(lib32);
        Path cuda32 = sharedObject(lib32, "libcuda.so.535.104.05", "libcuda.so.1");
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho fake nvidia-smi\n");
        smi.toFile().setExecutable(true, false);
        return List.of(
                new VolumeFile(cuda, VolumeDir.LIB64, soname(cuda)),
                new VolumeFile(nvml, VolumeDir.LIB64, soname(nvml)),
                new VolumeFile(glx, VolumeDir.LIB64, soname(glx)),
                new VolumeFile(cuda32, VolumeDir.LIB, soname(cuda32)),
                new VolumeFile(smi, VolumeDir.BIN, null));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
