package dev.nvjrun.nvml;

/**
 * nvmlPciInfo_t: {@code busId} is the 8-digit-domain form ("00000000:01:00.0"), {@code busIdLegacy}
 * the 4-digit one ("0000:01:00.0"); {@code pciDeviceId} combines device id (high 16 bits) and vendor id.
 */
public record PciInfo(String busId, String busIdLegacy, long domain, int bus, int device,
                      int pciDeviceId, int pciSubSystemId) {
}
