package dev.nvjrun.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.nvjrun.nvml.binding.Bar1MemoryStruct;
import dev.nvjrun.nvml.binding.MemoryStruct;
import dev.nvjrun.nvml.binding.NvmlLibrary;
import dev.nvjrun.nvml.binding.PciInfoStruct;
import dev.nvjrun.nvml.binding.ProcessInfoStruct;
import dev.nvjrun.nvml.binding.UtilizationStruct;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * A GPU or MIG device handle of an open {@link NvmlSession}. Every query answers empty when the
 * hardware does not support it or the driver is too old to have the call; any other failure
 * (a lost GPU, say) is an {@link NvmlException}.
 */
public final class NvmlDevice {
    /** NVML_DEVICE_NAME_V2_BUFFER_SIZE. */
    static final int NAME_SIZE = 96;
    /** NVML_DEVICE_UUID_V2_BUFFER_SIZE. */
    static final int UUID_SIZE = 96;
    /** NVML_DEVICE_SERIAL_BUFFER_SIZE. */
    static final int SERIAL_SIZE = 30;
    /** 64 words of 64 bits: affinity for hosts with up to 4096 CPUs. */
    static final int CPU_SET_WORDS = 64;
    /** NVML_TEMPERATURE_GPU. */
    private static final int TEMPERATURE_GPU = 0;
    /** NVML_DEVICE_MIG_ENABLE. */
    private static final int MIG_ENABLE = 1;
    /** NVML_FEATURE_ENABLED. */
    private static final int FEATURE_ENABLED = 1;

    private final CheckedCalls calls;
    private final NvmlLibrary lib;
    private final Pointer handle;

    NvmlDevice(CheckedCalls calls, Pointer handle) {
        this.calls = calls;
        this.lib = calls.library();
        this.handle = handle;
    }

    public Optional<String> name() {
        return text("nvmlDeviceGetName", NAME_SIZE, (b) -> lib.nvmlDeviceGetName(handle, b, b.length));
    }

    public Optional<String> uuid() {
        return text("nvmlDeviceGetUUID", UUID_SIZE, (b) -> lib.nvmlDeviceGetUUID(handle, b, b.length));
    }

    public Optional<String> serial() {
        return text("nvmlDeviceGetSerial", SERIAL_SIZE, (b) -> lib.nvmlDeviceGetSerial(handle, b, b.length));
    }

    public OptionalInt index() {
        return unsigned("nvmlDeviceGetIndex", out -> lib.nvmlDeviceGetIndex(handle, out));
    }

    /** The N of /dev/nvidiaN. */
    public OptionalInt minorNumber() {
        return unsigned("nvmlDeviceGetMinorNumber", out -> lib.nvmlDeviceGetMinorNumber(handle, out));
    }

    public Optional<Brand> brand() {
        return map(unsigned("nvmlDeviceGetBrand", out -> lib.nvmlDeviceGetBrand(handle, out)), Brand::of);
    }

    public Optional<Architecture> architecture() {
        return map(unsigned("nvmlDeviceGetArchitecture", out -> lib.nvmlDeviceGetArchitecture(handle, out)),
                Architecture::of);
    }

    public Optional<ComputeCapability> computeCapability() {
        IntByReference major = new IntByReference();
        IntByReference minor = new IntByReference();
        return calls.optional("nvmlDeviceGetCudaComputeCapability",
                () -> lib.nvmlDeviceGetCudaComputeCapability(handle, major, minor))
                ? Optional.of(new ComputeCapability(major.getValue(), minor.getValue())) : Optional.empty();
    }

    public Optional<PciInfo> pciInfo() {
        PciInfoStruct pci = new PciInfoStruct();
        if (!calls.optional("nvmlDeviceGetPciInfo_v3", () -> lib.nvmlDeviceGetPciInfo_v3(handle, pci))) {
            return Optional.empty();
        }
        return Optional.of(new PciInfo(CheckedCalls.string(pci.busId), CheckedCalls.string(pci.busIdLegacy),
                Integer.toUnsignedLong(pci.domain), pci.bus, pci.device, pci.pciDeviceId, pci.pciSubSystemId));
    }

    public OptionalInt maxPcieLinkGeneration() {
        return unsigned("nvmlDeviceGetMaxPcieLinkGeneration", out -> lib.nvmlDeviceGetMaxPcieLinkGeneration(handle, out));
    }

    public OptionalInt maxPcieLinkWidth() {
        return unsigned("nvmlDeviceGetMaxPcieLinkWidth", out -> lib.nvmlDeviceGetMaxPcieLinkWidth(handle, out));
    }

    public OptionalInt currentPcieLinkGeneration() {
        return unsigned("nvmlDeviceGetCurrPcieLinkGeneration", out -> lib.nvmlDeviceGetCurrPcieLinkGeneration(handle, out));
    }

    public OptionalInt currentPcieLinkWidth() {
        return unsigned("nvmlDeviceGetCurrPcieLinkWidth", out -> lib.nvmlDeviceGetCurrPcieLinkWidth(handle, out));
    }

    /** PCIe traffic in KB/s over the last 20 ms. */
    public OptionalInt pcieThroughput(PcieCounter counter) {
        return unsigned("nvmlDeviceGetPcieThroughput",
                out -> lib.nvmlDeviceGetPcieThroughput(handle, counter.value(), out));
    }

    public Optional<MemoryUsage> memory() {
        MemoryStruct memory = new MemoryStruct();
        return calls.optional("nvmlDeviceGetMemoryInfo", () -> lib.nvmlDeviceGetMemoryInfo(handle, memory))
                ? Optional.of(new MemoryUsage(memory.total, memory.free, memory.used)) : Optional.empty();
    }

    public Optional<MemoryUsage> bar1Memory() {
        Bar1MemoryStruct bar1 = new Bar1MemoryStruct();
        return calls.optional("nvmlDeviceGetBAR1MemoryInfo", () -> lib.nvmlDeviceGetBAR1MemoryInfo(handle, bar1))
                ? Optional.of(new MemoryUsage(bar1.bar1Total, bar1.bar1Free, bar1.bar1Used)) : Optional.empty();
    }

    /** Memory bus width in bits. */
    public OptionalInt memoryBusWidth() {
        return unsigned("nvmlDeviceGetMemoryBusWidth", out -> lib.nvmlDeviceGetMemoryBusWidth(handle, out));
    }

    public OptionalInt gpuCores() {
        return unsigned("nvmlDeviceGetNumGpuCores", out -> lib.nvmlDeviceGetNumGpuCores(handle, out));
    }

    public OptionalInt powerLimitMilliwatts() {
        return unsigned("nvmlDeviceGetPowerManagementLimit", out -> lib.nvmlDeviceGetPowerManagementLimit(handle, out));
    }

    public OptionalInt powerUsageMilliwatts() {
        return unsigned("nvmlDeviceGetPowerUsage", out -> lib.nvmlDeviceGetPowerUsage(handle, out));
    }

    /** GPU die temperature in °C. */
    public OptionalInt temperature() {
        return unsigned("nvmlDeviceGetTemperature", out -> lib.nvmlDeviceGetTemperature(handle, TEMPERATURE_GPU, out));
    }

    public Optional<Utilization> utilization() {
        UtilizationStruct rates = new UtilizationStruct();
        return calls.optional("nvmlDeviceGetUtilizationRates", () -> lib.nvmlDeviceGetUtilizationRates(handle, rates))
                ? Optional.of(new Utilization(rates.gpu, rates.memory)) : Optional.empty();
    }

    /** Percent. */
    public OptionalInt encoderUtilization() {
        IntByReference period = new IntByReference();
        return unsigned("nvmlDeviceGetEncoderUtilization", out -> lib.nvmlDeviceGetEncoderUtilization(handle, out, period));
    }

    /** Percent. */
    public OptionalInt decoderUtilization() {
        IntByReference period = new IntByReference();
        return unsigned("nvmlDeviceGetDecoderUtilization", out -> lib.nvmlDeviceGetDecoderUtilization(handle, out, period));
    }

    /** Current clock in MHz. */
    public OptionalInt clock(ClockType type) {
        return unsigned("nvmlDeviceGetClockInfo", out -> lib.nvmlDeviceGetClockInfo(handle, type.value(), out));
    }

    /** Maximum clock in MHz. */
    public OptionalInt maxClock(ClockType type) {
        return unsigned("nvmlDeviceGetMaxClockInfo", out -> lib.nvmlDeviceGetMaxClockInfo(handle, type.value(), out));
    }

    public Optional<ModeState> eccMode() {
        return modes("nvmlDeviceGetEccMode", (current, pending) -> lib.nvmlDeviceGetEccMode(handle, current, pending),
                FEATURE_ENABLED);
    }

    public OptionalLong totalEccErrors(MemoryErrorType errorType, EccCounterType counterType) {
        LongByReference count = new LongByReference();
        return calls.optional("nvmlDeviceGetTotalEccErrors",
                () -> lib.nvmlDeviceGetTotalEccErrors(handle, errorType.value(), counterType.value(), count))
                ? OptionalLong.of(count.getValue()) : OptionalLong.empty();
    }

    /** Compute processes with their names; empty when the driver has no _v3 query or the GPU cannot tell. */
    public Optional<List<RunningProcess>> computeProcesses(NvmlSession session) {
        String function = "nvmlDeviceGetComputeRunningProcesses_v3";
        int capacity = 32;
        for (int attempt = 0; attempt < 5; attempt++) {
            ProcessInfoStruct[] infos = ProcessInfoStruct.array(capacity);
            IntByReference count = new IntByReference(capacity);
            int rc;
            try {
                rc = lib.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, infos[0]);
            } catch (UnsatisfiedLinkError missing) {
                return Optional.empty();
            }
            if (rc == NvmlReturn.ERROR_INSUFFICIENT_SIZE.code()) {
                // Processes may start between two calls: leave room for a few more.
                capacity = Math.max(capacity * 2, count.getValue() + 8);
                continue;
            }
            if (rc == NvmlReturn.ERROR_NOT_SUPPORTED.code() || rc == NvmlReturn.ERROR_FUNCTION_NOT_FOUND.code()) {
                return Optional.empty();
            }
            if (rc != NvmlReturn.SUCCESS.code()) {
                throw calls.failure(function, rc);
            }
            List<RunningProcess> processes = new ArrayList<>();
            for (int i = 0; i < Math.min(count.getValue(), infos.length); i++) {
                ProcessInfoStruct info = infos[i];
                info.read();
                long pid = Integer.toUnsignedLong(info.pid);
                processes.add(new RunningProcess(pid,
                        info.usedGpuMemory == ProcessInfoStruct.VALUE_NOT_AVAILABLE
                                ? OptionalLong.empty() : OptionalLong.of(info.usedGpuMemory),
                        instance(info.gpuInstanceId), instance(info.computeInstanceId),
                        session.processName(pid)));
            }
            return Optional.of(List.copyOf(processes));
        }
        throw calls.failure(function, NvmlReturn.ERROR_INSUFFICIENT_SIZE.code());
    }

    private static OptionalInt instance(int id) {
        return id == ProcessInfoStruct.NO_INSTANCE ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The CPUs closest to this GPU. */
    public Optional<CpuSet> cpuAffinity() {
        long[] masks = new long[CPU_SET_WORDS];
        return calls.optional("nvmlDeviceGetCpuAffinity", () -> lib.nvmlDeviceGetCpuAffinity(handle, masks.length, masks))
                ? Optional.of(CpuSet.fromMasks(masks)) : Optional.empty();
    }

    public OptionalInt numaNode() {
        OptionalInt node = unsigned("nvmlDeviceGetNumaNodeId", out -> lib.nvmlDeviceGetNumaNodeId(handle, out));
        // NUMA_NO_NODE (-1) read unsigned: no node to speak of.
        return node.isPresent() && node.getAsInt() < 0 ? OptionalInt.empty() : node;
    }

    /** How this GPU and another are connected; empty when NVML cannot tell. */
    public Optional<TopologyLevel> topologyTo(NvmlDevice other) {
        OptionalInt level = unsigned("nvmlDeviceGetTopologyCommonAncestor",
                out -> lib.nvmlDeviceGetTopologyCommonAncestor(handle, other.handle, out));
        return level.isPresent() ? TopologyLevel.of(level.getAsInt()) : Optional.empty();
    }

    public Optional<P2PStatus> p2pStatus(NvmlDevice other, P2PCapability capability) {
        return map(unsigned("nvmlDeviceGetP2PStatus",
                out -> lib.nvmlDeviceGetP2PStatus(handle, other.handle, capability.value(), out)), P2PStatus::of);
    }

    public Optional<Boolean> persistenceMode() {
        return map(unsigned("nvmlDeviceGetPersistenceMode", out -> lib.nvmlDeviceGetPersistenceMode(handle, out)),
                mode -> mode == FEATURE_ENABLED);
    }

    public Optional<ModeState> migMode() {
        return modes("nvmlDeviceGetMigMode", (current, pending) -> lib.nvmlDeviceGetMigMode(handle, current, pending),
                MIG_ENABLE);
    }

    public OptionalInt maxMigDeviceCount() {
        return unsigned("nvmlDeviceGetMaxMigDeviceCount", out -> lib.nvmlDeviceGetMaxMigDeviceCount(handle, out));
    }

    /** The MIG devices of this GPU, in slot order; empty when MIG is off or unsupported. */
    public List<NvmlDevice> migDevices() {
        if (!migMode().map(ModeState::current).orElse(false)) {
            return List.of();
        }
        int slots = maxMigDeviceCount().orElse(0);
        List<NvmlDevice> devices = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int slot = i;
            PointerByReference mig = new PointerByReference();
            int rc = calls.invoke("nvmlDeviceGetMigDeviceHandleByIndex",
                    () -> lib.nvmlDeviceGetMigDeviceHandleByIndex(handle, slot, mig));
            if (rc == NvmlReturn.SUCCESS.code()) {
                devices.add(new NvmlDevice(calls, mig.getValue()));
            } else if (rc != NvmlReturn.ERROR_NOT_FOUND.code()) { // NOT_FOUND: an empty slot
                throw calls.failure("nvmlDeviceGetMigDeviceHandleByIndex", rc);
            }
        }
        return List.copyOf(devices);
    }

    public boolean isMigDevice() {
        return unsigned("nvmlDeviceIsMigDeviceHandle", out -> lib.nvmlDeviceIsMigDeviceHandle(handle, out))
                .orElse(0) != 0;
    }

    public OptionalInt gpuInstanceId() {
        return unsigned("nvmlDeviceGetGpuInstanceId", out -> lib.nvmlDeviceGetGpuInstanceId(handle, out));
    }

    public OptionalInt computeInstanceId() {
        return unsigned("nvmlDeviceGetComputeInstanceId", out -> lib.nvmlDeviceGetComputeInstanceId(handle, out));
    }

    /** The physical GPU of a MIG device; empty for a GPU handle. */
    public Optional<NvmlDevice> parent() {
        PointerByReference parent = new PointerByReference();
        if (!isMigDevice() || !calls.optional("nvmlDeviceGetDeviceHandleFromMigDeviceHandle",
                () -> lib.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(handle, parent))) {
            return Optional.empty();
        }
        return Optional.of(new NvmlDevice(calls, parent.getValue()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NvmlDevice other && handle.equals(other.handle);
    }

    @Override
    public int hashCode() {
        return handle.hashCode();
    }

    @Override
    public String toString() {
        return "NvmlDevice" + handle;
    }

    private interface TextCall {
        int call(byte[] buffer);
    }

    private interface IntOut {
        int call(IntByReference out);
    }

    private interface ModesCall {
        int call(IntByReference current, IntByReference pending);
    }

    private Optional<String> text(String function, int size, TextCall call) {
        byte[] buffer = new byte[size];
        return calls.optional(function, () -> call.call(buffer))
                ? Optional.of(CheckedCalls.string(buffer)) : Optional.empty();
    }

    /** An {@code unsigned int} out-parameter; values above 2^31 come back negative and are the caller's to read. */
    private OptionalInt unsigned(String function, IntOut call) {
        IntByReference out = new IntByReference();
        IntSupplier invocation = () -> call.call(out);
        return calls.optional(function, invocation) ? OptionalInt.of(out.getValue()) : OptionalInt.empty();
    }

    private Optional<ModeState> modes(String function, ModesCall call, int enabled) {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        return calls.optional(function, () -> call.call(current, pending))
                ? Optional.of(new ModeState(current.getValue() == enabled, pending.getValue() == enabled))
                : Optional.empty();
    }

    private static <T> Optional<T> map(OptionalInt value, java.util.function.IntFunction<T> mapper) {
        return value.isPresent() ? Optional.of(mapper.apply(value.getAsInt())) : Optional.empty();
    }
}
