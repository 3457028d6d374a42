package dev.nvjrun.nvml;

import com.sun.jna.Native;
import dev.nvjrun.nvml.binding.NvmlLibrary;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs NVML calls and turns their return codes into nvjrun's rules: success, "absent" (the
 * hardware lacks it, or this driver is too old to have the symbol) or an {@link NvmlException}.
 */
final class CheckedCalls {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedCalls.class);

    private final NvmlLibrary library;

    CheckedCalls(NvmlLibrary library) {
        this.library = library;
    }

    NvmlLibrary library() {
        return library;
    }

    /** Runs a call that must succeed. */
    void require(String function, IntSupplier call) {
        int rc = invoke(function, call);
        if (rc != NvmlReturn.SUCCESS.code()) {
            throw failure(function, rc);
        }
    }

    /** True when the call succeeded, false when what it asks for is not there; throws otherwise. */
    boolean optional(String function, IntSupplier call) {
        int rc;
        try {
            rc = call.getAsInt();
        } catch (UnsatisfiedLinkError missing) {
            // Older drivers simply lack newer entry points (_v3 process queries, nvmlDeviceGetNumGpuCores).
            LOG.debug("{} is not in this libnvidia-ml; treating its value as absent", function);
            return false;
        }
        if (rc == NvmlReturn.SUCCESS.code()) {
            return true;
        }
        if (rc == NvmlReturn.ERROR_NOT_SUPPORTED.code() || rc == NvmlReturn.ERROR_FUNCTION_NOT_FOUND.code()) {
            return false;
        }
        throw failure(function, rc);
    }

    /** Returns the raw code, for callers with their own meaning of a code (NOT_FOUND, INSUFFICIENT_SIZE). */
    int invoke(String function, IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (UnsatisfiedLinkError missing) {
            throw new NvmlException(function, NvmlReturn.ERROR_FUNCTION_NOT_FOUND.code(),
                    function + " failed: this libnvidia-ml does not provide it. Upgrade the NVIDIA driver.");
        }
    }

    NvmlException failure(String function, int rc) {
        return new NvmlException(function, rc, function + " failed: " + errorString(rc));
    }

    String errorString(int rc) {
        try {
            String message = library.nvmlErrorString(rc);
            if (message != null && !message.isBlank()) {
                return message;
            }
        } catch (UnsatisfiedLinkError | RuntimeException unavailable) {
            LOG.debug("nvmlErrorString({}) unavailable", rc, unavailable);
        }
        return "NVML error " + rc + " (" + NvmlReturn.of(rc) + ")";
    }

    /** A NUL-terminated C string from a fixed-size buffer. */
    static String string(byte[] buffer) {
        return Native.toString(buffer, "UTF-8");
    }
}
