package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

import java.util.List;

/** {@code nvmlPciInfo_t} as filled by nvmlDeviceGetPciInfo_v3 (nvml.h, NVML 2.285+ layout). */
public class PciInfoStruct extends Structure {
    /** NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE. */
    public static final int BUS_ID_LEGACY_SIZE = 16;
    /** NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE. */
    public static final int BUS_ID_SIZE = 32;

    public byte[] busIdLegacy = new byte[BUS_ID_LEGACY_SIZE];
    public int domain;
    public int bus;
    public int device;
    public int pciDeviceId;
    public int pciSubSystemId;
    public byte[] busId = new byte[BUS_ID_SIZE];

    /** The C struct's field order: returned, not annotated (see {@link NvmlLibrary}). */
    @Override
    protected List<String> getFieldOrder() {
        return List.of("busIdLegacy", "domain", "bus", "device", "pciDeviceId", "pciSubSystemId", "busId");
    }
}
