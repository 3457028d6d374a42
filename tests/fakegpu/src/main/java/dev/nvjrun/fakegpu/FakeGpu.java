package dev.nvjrun.fakegpu;

/** One GPU of a fake host as the mock NVML and the device nodes present it. */
public record FakeGpu(int index, String uuid, int minor, String pciBusId, String name) {
}
