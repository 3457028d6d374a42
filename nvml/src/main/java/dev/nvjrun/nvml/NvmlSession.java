package dev.nvjrun.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.nvjrun.nvml.binding.NvmlLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initialised NVML (nvmlInit_v2 or nvmlInitWithFlags … nvmlShutdown). Obtain one from
 * {@link Nvml#open}; devices it hands out are valid until it is closed. Thread-safe as NVML is.
 */
public final class NvmlSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NvmlSession.class);
    /** NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE. */
    static final int DRIVER_VERSION_SIZE = 80;
    /** NVML_SYSTEM_NVML_VERSION_BUFFER_SIZE. */
    static final int NVML_VERSION_SIZE = 80;
    /** nvmlSystemGetProcessName has no size constant; Linux paths are bounded by PATH_MAX. */
    static final int PROCESS_NAME_SIZE = 4096;

    private final CheckedCalls calls;
    private final String source;
    private final AtomicBoolean closed = new AtomicBoolean();

    NvmlSession(NvmlLibrary library, String source, Set<InitFlag> flags) {
        this.calls = new CheckedCalls(library);
        this.source = source;
        init(flags);
    }

    private void init(Set<InitFlag> flags) {
        String function;
        int rc;
        if (flags.isEmpty()) {
            function = "nvmlInit_v2";
            rc = calls.invoke(function, calls.library()::nvmlInit_v2);
        } else {
            int bits = flags.stream().mapToInt(InitFlag::bit).reduce(0, (a, b) -> a | b);
            function = "nvmlInitWithFlags";
            rc = calls.invoke(function, () -> calls.library().nvmlInitWithFlags(bits));
        }
        if (rc != NvmlReturn.SUCCESS.code()) {
            String reason = calls.errorString(rc);
            // Some of NVML's messages end in a full stop, most do not.
            String message = function + " failed: " + reason + (reason.endsWith(".") ? " " : ". ")
                    + initAdvice(NvmlReturn.of(rc)) + ".";
            throw new NvmlException(function, rc, message);
        }
        LOG.debug("NVML initialised from {}", source);
    }

    private String initAdvice(NvmlReturn result) {
        return switch (result) {
            case ERROR_DRIVER_NOT_LOADED -> "The NVIDIA kernel module is not loaded: load it (modprobe nvidia)"
                    + " or check that the driver root holding " + source + " is the running driver's";
            case ERROR_NO_PERMISSION -> "Check the permissions of /dev/nvidiactl and /dev/nvidia* for this user";
            case ERROR_LIB_RM_VERSION_MISMATCH -> source + " does not match the loaded kernel module:"
                    + " use the driver root of the running driver, or reboot after a driver upgrade";
            case ERROR_LIBRARY_NOT_FOUND -> "Install the NVIDIA driver or point nvjrun at the driver root that has it";
            default -> "Check the NVIDIA driver installation (nvidia-smi should work on this host)";
        };
    }

    /** Where the library came from (a path, or the system loader's name). */
    public String source() {
        return source;
    }

    public String driverVersion() {
        byte[] buffer = new byte[DRIVER_VERSION_SIZE];
        calls.require("nvmlSystemGetDriverVersion",
                () -> calls.library().nvmlSystemGetDriverVersion(buffer, buffer.length));
        return CheckedCalls.string(buffer);
    }

    public Optional<String> nvmlVersion() {
        byte[] buffer = new byte[NVML_VERSION_SIZE];
        return calls.optional("nvmlSystemGetNVMLVersion",
                () -> calls.library().nvmlSystemGetNVMLVersion(buffer, buffer.length))
                ? Optional.of(CheckedCalls.string(buffer)) : Optional.empty();
    }

    /** The CUDA version the driver supports; nvmlSystemGetCudaDriverVersion_v2, else the older call. */
    public Optional<CudaVersion> cudaDriverVersion() {
        IntByReference version = new IntByReference();
        if (calls.optional("nvmlSystemGetCudaDriverVersion_v2",
                () -> calls.library().nvmlSystemGetCudaDriverVersion_v2(version))
                || calls.optional("nvmlSystemGetCudaDriverVersion",
                () -> calls.library().nvmlSystemGetCudaDriverVersion(version))) {
            return Optional.of(CudaVersion.fromNvml(version.getValue()));
        }
        return Optional.empty();
    }

    /** The name of a process using a GPU, empty when it has gone or NVML cannot tell. */
    public Optional<String> processName(long pid) {
        byte[] buffer = new byte[PROCESS_NAME_SIZE];
        int rc = calls.invoke("nvmlSystemGetProcessName",
                () -> calls.library().nvmlSystemGetProcessName((int) pid, buffer, buffer.length));
        if (rc == NvmlReturn.SUCCESS.code()) {
            return Optional.of(CheckedCalls.string(buffer));
        }
        if (rc == NvmlReturn.ERROR_NOT_FOUND.code() || rc == NvmlReturn.ERROR_NOT_SUPPORTED.code()
                || rc == NvmlReturn.ERROR_NO_PERMISSION.code()) {
            return Optional.empty();
        }
        throw calls.failure("nvmlSystemGetProcessName", rc);
    }

    public int deviceCount() {
        IntByReference count = new IntByReference();
        calls.require("nvmlDeviceGetCount_v2", () -> calls.library().nvmlDeviceGetCount_v2(count));
        return count.getValue();
    }

    public NvmlDevice device(int index) {
        int count = deviceCount();
        if (index < 0 || index >= count) {
            throw new NvmlException("nvmlDeviceGetHandleByIndex_v2", NvmlReturn.ERROR_INVALID_ARGUMENT.code(),
                    "there is no GPU " + index + ": NVML sees " + count + " GPU(s)"
                            + (count > 0 ? ", indexes 0 to " + (count - 1) : "") + ". Pick one of those.");
        }
        return handleAt(index);
    }

    private NvmlDevice handleAt(int index) {
        PointerByReference handle = new PointerByReference();
        calls.require("nvmlDeviceGetHandleByIndex_v2",
                () -> calls.library().nvmlDeviceGetHandleByIndex_v2(index, handle));
        return new NvmlDevice(calls, handle.getValue());
    }

    /** All GPUs in NVML index order. */
    public List<NvmlDevice> devices() {
        int count = deviceCount();
        List<NvmlDevice> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(handleAt(i));
        }
        return List.copyOf(devices);
    }

    /** A GPU or MIG device by its UUID ("GPU-…" or "MIG-…"); empty when no device has it. */
    public Optional<NvmlDevice> deviceByUuid(String uuid) {
        Objects.requireNonNull(uuid, "uuid");
        return lookup("nvmlDeviceGetHandleByUUID",
                handle -> calls.library().nvmlDeviceGetHandleByUUID(uuid, handle));
    }

    /** A GPU by PCI bus id in either form ("00000000:01:00.0" or "0000:01:00.0"); empty when none. */
    public Optional<NvmlDevice> deviceByPciBusId(String busId) {
        Objects.requireNonNull(busId, "busId");
        return lookup("nvmlDeviceGetHandleByPciBusId_v2",
                handle -> calls.library().nvmlDeviceGetHandleByPciBusId_v2(busId, handle));
    }

    private Optional<NvmlDevice> lookup(String function, ToIntFunction<PointerByReference> call) {
        PointerByReference handle = new PointerByReference();
        int rc = calls.invoke(function, () -> call.applyAsInt(handle));
        if (rc == NvmlReturn.SUCCESS.code()) {
            Pointer device = handle.getValue();
            return Optional.of(new NvmlDevice(calls, device));
        }
        // Real NVML answers INVALID_ARGUMENT for a malformed id as well as NOT_FOUND for an unknown one.
        if (rc == NvmlReturn.ERROR_NOT_FOUND.code() || rc == NvmlReturn.ERROR_INVALID_ARGUMENT.code()) {
            return Optional.empty();
        }
        throw calls.failure(function, rc);
    }

    /** nvmlShutdown; later calls are no-ops. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            calls.require("nvmlShutdown", calls.library()::nvmlShutdown);
        }
    }
}
