package dev.nvjrun.fakegpu.driver;

import dev.nvjrun.fakegpu.FakeGpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The proc files a GPU host exposes, in the kernel's formats: proc/devices (with the driver's
 * majors), proc/driver/nvidia/version (NVRM), per-GPU information files and, with MIG,
 * proc/driver/nvidia-caps/mig-minors.
 */
public final class ProcFiles {

    /** nvidia-caps lists this many GPUs, GPU instances and compute instances per GPU instance. */
    private static final int CAPS_GPUS = 32;
    private static final int CAPS_GPU_INSTANCES = 15;
    private static final int CAPS_COMPUTE_INSTANCES = 8;

    private ProcFiles() {
    }

    public static void write(Path proc, String driverVersion, List<FakeGpu> gpus, boolean mig) throws IOException {
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("devices"), devices());
        Path nvidia = Files.createDirectories(proc.resolve("driver/nvidia"));
        Files.writeString(nvidia.resolve("version"),
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + driverVersion + "  Tue Mar  5 22:23:56 UTC 2024\n"
                        + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14) \n");
        for (FakeGpu gpu : gpus) {
            Path dir = Files.createDirectories(nvidia.resolve("gpus").resolve(legacyBusId(gpu.pciBusId())));
            Files.writeString(dir.resolve("information"), information(gpu, driverVersion));
        }
        if (mig) {
            Path caps = Files.createDirectories(proc.resolve("driver/nvidia-caps"));
            Files.writeString(caps.resolve("mig-minors"), migMinors());
        }
    }

    /** The nvidia-caps minor of "gpuN/giG/access". */
    public static int gpuInstanceAccessMinor(int gpu, int gpuInstance) {
        return 3 + (gpu * CAPS_GPU_INSTANCES + gpuInstance) * (1 + CAPS_COMPUTE_INSTANCES);
    }

    /** The nvidia-caps minor of "gpuN/giG/ciC/access". */
    public static int computeInstanceAccessMinor(int gpu, int gpuInstance, int computeInstance) {
        return gpuInstanceAccessMinor(gpu, gpuInstance) + 1 + computeInstance;
    }

    private static String devices() {
        return """
                Character devices:
                  1 mem
                  4 /dev/vc/0
                  4 tty
                  4 ttyS
                  5 /dev/tty
                  5 /dev/console
                  5 /dev/ptmx
                  7 vcs
                 10 misc
                 13 input
                 21 sg
                 29 fb
                128 ptm
                136 pts
                180 usb
                189 usb_device
                %d nvidia-frontend
                226 drm
                %d nvidia-uvm
                %d nvidia-caps

                Block devices:
                  7 loop
                  8 sd
                259 blkext
                """.formatted(DeviceNodes.NVIDIA_MAJOR, DeviceNodes.UVM_MAJOR, DeviceNodes.CAPS_MAJOR);
    }

    private static String information(FakeGpu gpu, String driverVersion) {
        return "Model: \t\t " + gpu.name() + "\n"
                + "IRQ:   \t\t 0\n"
                + "GPU UUID: \t " + gpu.uuid() + "\n"
                + "Video BIOS: \t 92.00.36.00.01\n"
                + "Bus Type: \t PCIe\n"
                + "DMA Size: \t 47 bits\n"
                + "DMA Mask: \t 0x7fffffffffff\n"
                + "Bus Location: \t " + legacyBusId(gpu.pciBusId()) + "\n"
                + "Device Minor: \t " + gpu.minor() + "\n"
                + "GPU Firmware: \t " + driverVersion + "\n"
                + "GPU Excluded:\t No\n";
    }

    /** "00000000:01:00.0" as the kernel names its directory, "0000:01:00.0". */
    private static String legacyBusId(String busId) {
        String lower = busId.toLowerCase();
        return lower.length() == 16 && lower.startsWith("0000") ? lower.substring(4) : lower;
    }

    private static String migMinors() {
        List<String> lines = new ArrayList<>();
        lines.add("config 1");
        lines.add("monitor 2");
        for (int gpu = 0; gpu < CAPS_GPUS; gpu++) {
            for (int gi = 0; gi < CAPS_GPU_INSTANCES; gi++) {
                lines.add("gpu" + gpu + "/gi" + gi + "/access " + gpuInstanceAccessMinor(gpu, gi));
                for (int ci = 0; ci < CAPS_COMPUTE_INSTANCES; ci++) {
                    lines.add("gpu" + gpu + "/gi" + gi + "/ci" + ci + "/access "
                            + computeInstanceAccessMinor(gpu, gi, ci));
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
