package dev.nvjrun.nvml.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nvjrun.nvml.ClockType;
import dev.nvjrun.nvml.EccCounterType;
import dev.nvjrun.nvml.MemoryErrorType;
import dev.nvjrun.nvml.MemoryUsage;
import dev.nvjrun.nvml.NvmlDevice;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.nvml.PcieCounter;
import dev.nvjrun.nvml.RunningProcess;
import dev.nvjrun.nvml.Utilization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Live values of every GPU: nvidia-docker 1.0's /gpu/status page. Field names are 1.0's JSON names;
 * a null field is a value NVML could not give.
 */
public record GpuStatus(@JsonProperty("Devices") List<Device> devices) {

    public GpuStatus {
        devices = List.copyOf(devices);
    }

    /**
     * One GPU. {@code power} in W, {@code temperature} in °C. {@code limits} holds the totals the
     * text page prints next to the live values; 1.0's JSON did not carry them, so neither does ours.
     */
    public record Device(@JsonProperty("Power") Integer power,
                         @JsonProperty("Temperature") Integer temperature,
                         @JsonProperty("Utilization") UtilizationPercent utilization,
                         @JsonProperty("Memory") Memory memory,
                         @JsonProperty("Clocks") Clocks clocks,
                         @JsonProperty("PCI") Pci pci,
                         @JsonProperty("Processes") List<Process> processes,
                         @JsonIgnore Limits limits) {
    }

    /** Percent. */
    public record UtilizationPercent(@JsonProperty("GPU") Integer gpu, @JsonProperty("Memory") Integer memory,
                                     @JsonProperty("Encoder") Integer encoder, @JsonProperty("Decoder") Integer decoder) {
    }

    /** Used framebuffer in MiB and uncorrected ECC errors since the driver loaded. */
    public record Memory(@JsonProperty("GlobalUsed") Long globalUsed, @JsonProperty("ECCErrors") EccErrors eccErrors) {
    }

    /** L1/L2 counts need a per-location query NVML's total-count call does not give: null. */
    public record EccErrors(@JsonProperty("L1Cache") Long l1Cache, @JsonProperty("L2Cache") Long l2Cache,
                            @JsonProperty("Global") Long global) {
    }

    /** Current clocks in MHz. */
    public record Clocks(@JsonProperty("Cores") Integer cores, @JsonProperty("Memory") Integer memory) {
    }

    /** BAR1 used in MiB, throughput in MB/s. */
    public record Pci(@JsonProperty("BAR1Used") Long bar1Used, @JsonProperty("Throughput") Throughput throughput) {
    }

    public record Throughput(@JsonProperty("RX") Integer rx, @JsonProperty("TX") Integer tx) {
    }

    /** Memory in MiB. */
    public record Process(@JsonProperty("PID") long pid, @JsonProperty("Name") String name,
                          @JsonProperty("MemoryUsed") Long memoryUsed) {
    }

    /** Power limit in W, framebuffer and BAR1 totals in MiB. */
    public record Limits(Integer power, Long global, Long bar1) {
    }

    public static GpuStatus gather(NvmlSession session) {
        List<Device> devices = new ArrayList<>();
        for (NvmlDevice gpu : session.devices()) {
            devices.add(device(session, gpu));
        }
        return new GpuStatus(devices);
    }

    private static Device device(NvmlSession session, NvmlDevice gpu) {
        Optional<Utilization> rates = gpu.utilization();
        Optional<MemoryUsage> memory = gpu.memory();
        Optional<MemoryUsage> bar1 = gpu.bar1Memory();
        List<Process> processes = gpu.computeProcesses(session)
                .map(list -> list.stream().map(GpuStatus::process).toList())
                .orElse(null);
        return new Device(
                Units.divided(gpu.powerUsageMilliwatts(), 1000),
                Units.nullable(gpu.temperature()),
                new UtilizationPercent(rates.map(Utilization::gpu).orElse(null), rates.map(Utilization::memory).orElse(null),
                        Units.nullable(gpu.encoderUtilization()), Units.nullable(gpu.decoderUtilization())),
                new Memory(memory.map(MemoryUsage::usedMiB).orElse(null), new EccErrors(null, null,
                        Units.nullable(gpu.totalEccErrors(MemoryErrorType.UNCORRECTED, EccCounterType.VOLATILE)))),
                new Clocks(Units.nullable(gpu.clock(ClockType.SM)), Units.nullable(gpu.clock(ClockType.MEMORY))),
                new Pci(bar1.map(MemoryUsage::usedMiB).orElse(null),
                        // NVML counts KB/s; 1.0 divided by 1000 for MB/s.
                        new Throughput(Units.divided(gpu.pcieThroughput(PcieCounter.RX_BYTES), 1000),
                                Units.divided(gpu.pcieThroughput(PcieCounter.TX_BYTES), 1000))),
                processes,
                new Limits(Units.divided(gpu.powerLimitMilliwatts(), 1000),
                        memory.map(MemoryUsage::totalMiB).orElse(null), bar1.map(MemoryUsage::totalMiB).orElse(null)));
    }

    private static Process process(RunningProcess p) {
        return new Process(p.pid(), p.name().orElse(null),
                p.usedMemory().isPresent() ? p.usedMemory().getAsLong() / Units.MIB : null);
    }

    /** The text page, laid out as nvidia-docker 1.0's /gpu/status. */
    public String toText() {
        AlignedText page = new AlignedText();
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            Limits limits = d.limits() == null ? new Limits(null, null, null) : d.limits();
            page.line("").line("Device #" + i)
                    .row("  Power:  ", Units.ofTotal(d.power(), limits.power(), " W"))
                    .row("  Temperature:  ", Units.or(d.temperature(), " °C"))
                    .line("  Utilization")
                    .row("    GPU:  ", Units.or(d.utilization().gpu(), " %"))
                    .row("    Memory:  ", Units.or(d.utilization().memory(), " %"))
                    .row("    Encoder:  ", Units.or(d.utilization().encoder(), " %"))
                    .row("    Decoder:  ", Units.or(d.utilization().decoder(), " %"))
                    .line("  Memory")
                    .row("    Global:  ", Units.ofTotal(d.memory().globalUsed(), limits.global(), " MiB"))
                    .line("    ECC Errors")
                    .row("      L1 Cache:  ", Units.or(d.memory().eccErrors().l1Cache(), ""))
                    .row("      L2 Cache:  ", Units.or(d.memory().eccErrors().l2Cache(), ""))
                    .row("      Global:  ", Units.or(d.memory().eccErrors().global(), ""))
                    .line("  PCI")
                    .row("    BAR1:  ", Units.ofTotal(d.pci().bar1Used(), limits.bar1(), " MiB"))
                    .line("    Throughput")
                    .row("      RX:  ", Units.or(d.pci().throughput().rx(), " MB/s"))
                    .row("      TX:  ", Units.or(d.pci().throughput().tx(), " MB/s"))
                    .line("  Clocks")
                    .row("    Cores:  ", Units.or(d.clocks().cores(), " MHz"))
                    .row("    Memory:  ", Units.or(d.clocks().memory(), " MHz"));
            if (d.processes() == null) {
                page.row("  Processes:  ", Units.NA);
            } else if (d.processes().isEmpty()) {
                page.row("  Processes:  ", "None");
            } else {
                page.line("  Processes");
                for (Process p : d.processes()) {
                    page.row("    - PID:  ", String.valueOf(p.pid()))
                            .row("      Name:  ", Units.or(p.name(), ""))
                            .row("      Memory:  ", Units.or(p.memoryUsed(), " MiB"));
                }
            }
        }
        return page.line("").render();
    }

    /** The JSON page, 1.0's /gpu/status/json. */
    public String toJson() {
        return ReportJson.write(this);
    }

    public static GpuStatus fromJson(String json) {
        return ReportJson.read(json, GpuStatus.class, "/gpu/status/json");
    }
}
