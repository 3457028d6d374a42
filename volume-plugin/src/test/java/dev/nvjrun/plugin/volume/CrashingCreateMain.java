package dev.nvjrun.plugin.volume;

import dev.nvjrun.plugin.host.VolumeDir;
import dev.nvjrun.plugin.host.VolumeFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates a volume and dies abruptly (no cleanup, no finally blocks) while placing its third file. */
public final class CrashingCreateMain {

    private CrashingCreateMain() {
    }

    /** Arguments: volumes directory, then the driver files to place. */
    public static void main(String[] args) throws Exception {
        List<VolumeFile> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(new VolumeFile(Path.of(args[i]), VolumeDir.LIB64, null));
        }
        AtomicInteger placed = new AtomicInteger();
        FileCloner diesOnThird = (source, target) -> {
            if (placed.incrementAndGet() == 3) {
                Runtime.getRuntime().halt(137);
            }
            FileCloner.linkOrCopy().cloneFile(source, target);
        };
        new VolumeStore(Path.of(args[0]), diesOnThird).create(DriverVolume.NVIDIA_DRIVER, "535.104.05", files);
    }
}
