package dev.nvjrun.nvml;

/**
 * An NVML call failed for a reason other than "not supported here". The message is NVML's own
 * (nvmlErrorString) prefixed by the function that failed, e.g. {@code nvmlDeviceGetUUID failed: GPU is lost}.
 */
public final class NvmlException extends RuntimeException {
    private final String function;
    private final int code;

    public NvmlException(String function, int code, String message) {
        super(message);
        this.function = function;
        this.code = code;
    }

    /** The NVML function that failed, or the file that could not be loaded. */
    public String function() {
        return function;
    }

    /** The raw nvmlReturn_t. */
    public int code() {
        return code;
    }

    public NvmlReturn result() {
        return NvmlReturn.of(code);
    }

    public boolean isGpuLost() {
        return code == NvmlReturn.ERROR_GPU_IS_LOST.code();
    }
}
