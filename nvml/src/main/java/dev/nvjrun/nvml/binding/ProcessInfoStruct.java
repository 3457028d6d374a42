package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

import java.util.List;

/**
 * {@code nvmlProcessInfo_t} as used by nvmlDeviceGetComputeRunningProcesses_v3 (nvml.h's
 * nvmlProcessInfo_v2_st: pid, 4 bytes padding, usedGpuMemory, gpuInstanceId, computeInstanceId;
 * 24 bytes on LP64).
 */
public class ProcessInfoStruct extends Structure {
    /** NVML_VALUE_NOT_AVAILABLE as unsigned long long (e.g. memory under WDDM). */
    public static final long VALUE_NOT_AVAILABLE = -1L;
    /** gpuInstanceId / computeInstanceId when MIG is off. */
    public static final int NO_INSTANCE = 0xFFFFFFFF;

    public int pid;
    public long usedGpuMemory;
    public int gpuInstanceId;
    public int computeInstanceId;

    /** A contiguous native array of {@code size} entries (at least one); pass element 0. */
    public static ProcessInfoStruct[] array(int size) {
        return (ProcessInfoStruct[]) new ProcessInfoStruct().toArray(Math.max(1, size));
    }

    /** The C struct's field order: returned, not annotated (see {@link NvmlLibrary}). */
    @Override
    protected List<String> getFieldOrder() {
        return List.of("pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId");
    }
}
