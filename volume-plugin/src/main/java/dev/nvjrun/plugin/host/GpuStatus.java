package dev.nvjrun.plugin.host;

/**
 * Live values of one GPU; each is null when the driver does not report it.
 *
 * @param index                 NVML index
 * @param utilizationGpuPercent GPU utilisation in percent
 * @param utilizationMemPercent memory controller utilisation in percent
 * @param memoryUsedMiB         used memory in MiB
 * @param memoryTotalMiB        total memory in MiB
 * @param temperatureCelsius    core temperature
 * @param powerWatts            power draw
 */
public record GpuStatus(int index, Integer utilizationGpuPercent, Integer utilizationMemPercent,
                        Long memoryUsedMiB, Long memoryTotalMiB, Integer temperatureCelsius,
                        Double powerWatts) {
}
