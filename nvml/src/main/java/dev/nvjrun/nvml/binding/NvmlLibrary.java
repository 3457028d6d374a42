package dev.nvjrun.nvml.binding;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The subset of libnvidia-ml.so.1 that nvjrun calls, declared as in NVIDIA's nvml.h.
 *
 * <p>Every function returns an {@code nvmlReturn_t}. {@code unsigned int} outputs arrive as Java
 * ints and must be read unsigned; {@code nvmlDevice_t} is an opaque pointer. Older drivers lack
 * some symbols: calling one throws {@link UnsatisfiedLinkError}, which callers treat as "absent".
 * Internal to the nvml module; use {@code dev.nvjrun.nvml.NvmlSession}.
 *
 * <p>The structures it fills ({@code *Struct}) return their field order from {@code getFieldOrder()}
 * instead of carrying JNA's {@code @FieldOrder}: reading an annotation makes the JDK define proxy classes
 * for the annotation types, a few milliseconds of the first GPU container start that no cache can hold.
 */
public interface NvmlLibrary extends Library {

    int nvmlInit_v2();

    int nvmlInitWithFlags(int flags);

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlSystemGetNVMLVersion(byte[] version, int length);

    int nvmlSystemGetCudaDriverVersion(IntByReference cudaDriverVersion);

    int nvmlSystemGetCudaDriverVersion_v2(IntByReference cudaDriverVersion);

    int nvmlSystemGetProcessName(int pid, byte[] name, int length);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device);

    int nvmlDeviceGetHandleByPciBusId_v2(String pciBusId, PointerByReference device);

    int nvmlDeviceGetIndex(Pointer device, IntByReference index);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetBrand(Pointer device, IntByReference type);

    int nvmlDeviceGetArchitecture(Pointer device, IntByReference arch);

    int nvmlDeviceGetCudaComputeCapability(Pointer device, IntByReference major, IntByReference minor);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetSerial(Pointer device, byte[] serial, int length);

    int nvmlDeviceGetMinorNumber(Pointer device, IntByReference minorNumber);

    int nvmlDeviceGetPciInfo_v3(Pointer device, PciInfoStruct pci);

    int nvmlDeviceGetMaxPcieLinkGeneration(Pointer device, IntByReference maxLinkGen);

    int nvmlDeviceGetMaxPcieLinkWidth(Pointer device, IntByReference maxLinkWidth);

    int nvmlDeviceGetCurrPcieLinkGeneration(Pointer device, IntByReference currLinkGen);

    int nvmlDeviceGetCurrPcieLinkWidth(Pointer device, IntByReference currLinkWidth);

    /** {@code counter} is an nvmlPcieUtilCounter_t; the value is in KB/s. */
    int nvmlDeviceGetPcieThroughput(Pointer device, int counter, IntByReference value);

    int nvmlDeviceGetMemoryInfo(Pointer device, MemoryStruct memory);

    int nvmlDeviceGetBAR1MemoryInfo(Pointer device, Bar1MemoryStruct bar1Memory);

    int nvmlDeviceGetMemoryBusWidth(Pointer device, IntByReference busWidth);

    int nvmlDeviceGetNumGpuCores(Pointer device, IntByReference numCores);

    int nvmlDeviceGetPowerManagementLimit(Pointer device, IntByReference limitMilliwatts);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference powerMilliwatts);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

    int nvmlDeviceGetUtilizationRates(Pointer device, UtilizationStruct utilization);

    int nvmlDeviceGetEncoderUtilization(Pointer device, IntByReference utilization, IntByReference samplingPeriodUs);

    int nvmlDeviceGetDecoderUtilization(Pointer device, IntByReference utilization, IntByReference samplingPeriodUs);

    int nvmlDeviceGetClockInfo(Pointer device, int type, IntByReference clockMhz);

    int nvmlDeviceGetMaxClockInfo(Pointer device, int type, IntByReference clockMhz);

    int nvmlDeviceGetEccMode(Pointer device, IntByReference current, IntByReference pending);

    int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, LongByReference eccCounts);

    /** {@code infos} is the first element of a {@link ProcessInfoStruct#array(int)}. */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfoStruct infos);

    /** {@code cpuSet} holds {@code cpuSetSize} C {@code unsigned long}s (64-bit on Linux/LP64). */
    int nvmlDeviceGetCpuAffinity(Pointer device, int cpuSetSize, long[] cpuSet);

    int nvmlDeviceGetNumaNodeId(Pointer device, IntByReference node);

    int nvmlDeviceGetTopologyCommonAncestor(Pointer device1, Pointer device2, IntByReference pathInfo);

    int nvmlDeviceGetP2PStatus(Pointer device1, Pointer device2, int p2pIndex, IntByReference p2pStatus);

    int nvmlDeviceGetPersistenceMode(Pointer device, IntByReference mode);

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceIsMigDeviceHandle(Pointer device, IntByReference isMigDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer device, IntByReference id);

    int nvmlDeviceGetComputeInstanceId(Pointer device, IntByReference id);

    int nvmlDeviceGetDeviceHandleFromMigDeviceHandle(Pointer migDevice, PointerByReference device);
}
