package dev.nvjrun.fakegpu;

/** A fault the mock NVML can be told to show; see {@link FakeGpuHost#injectFailure(Failure)}. */
public sealed interface Failure {

    /** nvmlInit returns this nvmlReturn_t (e.g. 9 driver not loaded, 12 library not found). */
    record InitFails(int nvmlReturn) implements Failure {
        public InitFails {
            if (nvmlReturn < 1 || nvmlReturn > 999) {
                throw new IllegalArgumentException("init failure code " + nvmlReturn
                        + " is not an NVML error; use an nvmlReturn_t between 1 and 999");
            }
        }
    }

    /** nvmlInit returns NVML_ERROR_DRIVER_NOT_LOADED. */
    record DriverNotLoaded() implements Failure {
    }

    /** Every call for this GPU (and its MIG devices) returns NVML_ERROR_GPU_IS_LOST. */
    record GpuLost(int index) implements Failure {
        public GpuLost {
            if (index < 0) {
                throw new IllegalArgumentException("GPU index " + index + " is negative; use a GPU index from 0");
            }
        }
    }

    /** The named NVML function returns NVML_ERROR_NOT_SUPPORTED. */
    record NotSupported(String nvmlFunction) implements Failure {
        public NotSupported {
            if (nvmlFunction == null || !nvmlFunction.matches("nvml[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("'" + nvmlFunction
                        + "' is not an NVML function name; give one such as nvmlDeviceGetPowerUsage");
            }
        }
    }

    /**
     * Reads the command-line form: {@code init-fails=CODE}, {@code driver-not-loaded},
     * {@code gpu-lost=INDEX} or {@code not-supported=FUNCTION}.
     */
    static Failure parse(String text) {
        String[] parts = text.split("=", 2);
        String value = parts.length == 2 ? parts[1] : null;
        String usage = "; use init-fails=CODE, driver-not-loaded, gpu-lost=INDEX or not-supported=FUNCTION";
        switch (parts[0]) {
            case "driver-not-loaded":
                if (value != null) {
                    throw new IllegalArgumentException("failure 'driver-not-loaded' takes no value" + usage);
                }
                return new DriverNotLoaded();
            case "init-fails":
                return new InitFails(number(text, value, usage));
            case "gpu-lost":
                return new GpuLost(number(text, value, usage));
            case "not-supported":
                if (value == null) {
                    throw new IllegalArgumentException("failure 'not-supported' needs a function name" + usage);
                }
                return new NotSupported(value);
            default:
                throw new IllegalArgumentException("unknown failure '" + text + "'" + usage);
        }
    }

    private static int number(String text, String value, String usage) {
        try {
            return Integer.parseInt(value == null ? "" : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failure '" + text + "' needs a whole number after '='" + usage);
        }
    }
}
