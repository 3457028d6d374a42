package dev.nvjrun.nvml;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A compute process on a GPU. Memory is absent where the driver cannot tell (NVML_VALUE_NOT_AVAILABLE),
 * the instance ids where MIG is off, the name when the process ended before it was asked for.
 */
public record RunningProcess(long pid, OptionalLong usedMemory, OptionalInt gpuInstanceId,
                             OptionalInt computeInstanceId, Optional<String> name) {
}
