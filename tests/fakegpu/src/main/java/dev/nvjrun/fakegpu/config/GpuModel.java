package dev.nvjrun.fakegpu.config;

import java.util.List;

/**
 * The hardware facts of one GPU model that the mock reports. Unknown names borrow the A100's
 * facts under their own name, so any model string gives a working host.
 */
public record GpuModel(String name, int pciDeviceId, int pciSubSystemId, int brand, int architecture,
                       int computeMajor, int computeMinor, long memoryBytes, long bar1Bytes, int cores,
                       int memoryBusWidth, int powerLimitMilliwatts, int pcieGeneration, boolean migCapable,
                       boolean nvlink, List<Integer> maxClocksMhz) {

    private static final long MIB = 1024L * 1024L;
    private static final int NVIDIA_VENDOR = 0x10DE;
    private static final int BRAND_GEFORCE_RTX = 15;
    private static final int BRAND_NVIDIA = 14;
    private static final int ARCH_TURING = 6;
    private static final int ARCH_AMPERE = 7;
    private static final int ARCH_ADA = 8;
    private static final int ARCH_HOPPER = 9;

    private static final List<GpuModel> KNOWN = List.of(
            new GpuModel("NVIDIA A100-SXM4-80GB", 0x20B2, 0x147F, BRAND_NVIDIA, ARCH_AMPERE, 8, 0, 81920 * MIB,
                    131072 * MIB, 6912, 5120, 400_000, 4, true, true, List.of(1410, 1410, 1593, 1290)),
            new GpuModel("NVIDIA A100-SXM4-40GB", 0x20B0, 0x134F, BRAND_NVIDIA, ARCH_AMPERE, 8, 0, 40960 * MIB,
                    65536 * MIB, 6912, 5120, 400_000, 4, true, true, List.of(1410, 1410, 1215, 1290)),
            new GpuModel("NVIDIA H100 80GB HBM3", 0x2330, 0x16C1, BRAND_NVIDIA, ARCH_HOPPER, 9, 0, 81559 * MIB,
                    131072 * MIB, 16896, 5120, 700_000, 5, true, true, List.of(1980, 1980, 2619, 1755)),
            new GpuModel("Tesla T4", 0x1EB8, 0x12A2, BRAND_NVIDIA, ARCH_TURING, 7, 5, 15360 * MIB,
                    256 * MIB, 2560, 256, 70_000, 3, false, false, List.of(1590, 1590, 5001, 1470)),
            new GpuModel("NVIDIA GeForce RTX 4090", 0x2684, 0x167C, BRAND_GEFORCE_RTX, ARCH_ADA, 8, 9, 24564 * MIB,
                    256 * MIB, 16384, 384, 450_000, 4, false, false, List.of(3120, 3120, 10501, 2415)));

    /** The known model of that name, or the A100's facts under the given name. */
    public static GpuModel named(String name) {
        for (GpuModel model : KNOWN) {
            if (model.name.equalsIgnoreCase(name)) {
                return model;
            }
        }
        GpuModel a100 = KNOWN.get(0);
        return new GpuModel(name, a100.pciDeviceId, a100.pciSubSystemId, a100.brand, a100.architecture,
                a100.computeMajor, a100.computeMinor, a100.memoryBytes, a100.bar1Bytes, a100.cores,
                a100.memoryBusWidth, a100.powerLimitMilliwatts, a100.pcieGeneration, a100.migCapable, a100.nvlink,
                a100.maxClocksMhz);
    }

    /** The names this catalogue knows; others get A100 facts. */
    public static List<String> knownNames() {
        return KNOWN.stream().map(GpuModel::name).toList();
    }

    /** PCI device and vendor id combined as NVML reports it: device id high, 0x10DE low. */
    public long combinedDeviceId() {
        return ((long) pciDeviceId << 16) | NVIDIA_VENDOR;
    }

    public long combinedSubSystemId() {
        return ((long) pciSubSystemId << 16) | NVIDIA_VENDOR;
    }
}
