package dev.nvjrun.nvml.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nvjrun.nvml.ClockType;
import dev.nvjrun.nvml.ComputeCapability;
import dev.nvjrun.nvml.CudaVersion;
import dev.nvjrun.nvml.MemoryUsage;
import dev.nvjrun.nvml.ModeState;
import dev.nvjrun.nvml.NvmlDevice;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.nvml.P2PCapability;
import dev.nvjrun.nvml.P2PStatus;
import dev.nvjrun.nvml.PciInfo;
import dev.nvjrun.nvml.TopologyLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What does not change while the driver stays loaded: nvidia-docker 1.0's /gpu/info page, gathered
 * once. Field names are 1.0's JSON names; a null field is a value NVML could not give.
 */
public record GpuInfo(@JsonProperty("Version") Version version, @JsonProperty("Devices") List<Device> devices) {

    public GpuInfo {
        devices = List.copyOf(devices);
    }

    public record Version(@JsonProperty("Driver") String driver, @JsonProperty("CUDA") String cuda) {
    }

    /**
     * One GPU. {@code power} is the power limit in W, {@code cpuAffinity} the NUMA node, {@code arch}
     * the compute capability; {@code mig} (beyond 1.0) lists MIG devices and is left out when MIG is off.
     */
    public record Device(@JsonProperty("UUID") String uuid,
                         @JsonProperty("Path") String path,
                         @JsonProperty("Model") String model,
                         @JsonProperty("Power") Integer power,
                         @JsonProperty("CPUAffinity") Integer cpuAffinity,
                         @JsonProperty("PCI") Pci pci,
                         @JsonProperty("Clocks") Clocks clocks,
                         @JsonProperty("Topology") List<P2PLink> topology,
                         @JsonProperty("Family") String family,
                         @JsonProperty("Arch") String arch,
                         @JsonProperty("Cores") Integer cores,
                         @JsonProperty("Memory") Memory memory,
                         @JsonProperty("MIG") @JsonInclude(JsonInclude.Include.NON_NULL) List<MigDevice> mig) {
    }

    /** BAR1 in MiB, bandwidth of the widest link in MB/s. */
    public record Pci(@JsonProperty("BusID") String busId,
                      @JsonProperty("BAR1") Long bar1,
                      @JsonProperty("Bandwidth") Integer bandwidth) {
    }

    /** MHz. */
    public record Clocks(@JsonProperty("Cores") Integer cores, @JsonProperty("Memory") Integer memory) {
    }

    /** A peer this GPU can reach directly; {@code link} is 1.0's P2PLinkType number. */
    public record P2PLink(@JsonProperty("BusID") String busId, @JsonProperty("Link") int link) {

        /** 1.0's wording, "N/A" for an unknown link. */
        public String linkDescription() {
            for (TopologyLevel level : TopologyLevel.values()) {
                if (level.legacyLink() == link) {
                    return level.description();
                }
            }
            return Units.NA;
        }
    }

    /** Global in MiB, bandwidth in MB/s; Shared, Constant and L2Cache (KiB) came from CUDA in 1.0 and NVML lacks them. */
    public record Memory(@JsonProperty("ECC") Boolean ecc,
                         @JsonProperty("Global") Long global,
                         @JsonProperty("Shared") Long shared,
                         @JsonProperty("Constant") Long constant,
                         @JsonProperty("L2Cache") Long l2Cache,
                         @JsonProperty("Bandwidth") Long bandwidth) {
    }

    /** A MIG device; memory in MiB. */
    public record MigDevice(@JsonProperty("UUID") String uuid,
                            @JsonProperty("GPUInstance") Integer gpuInstance,
                            @JsonProperty("ComputeInstance") Integer computeInstance,
                            @JsonProperty("Memory") Long memory) {
    }

    /** Per-lane PCIe bandwidth in MB/s by generation (1.0's table, extended to gen 5 and 6). */
    private static final Map<Integer, Integer> PCIE_LANE_MBPS =
            Map.of(1, 250, 2, 500, 3, 985, 4, 1969, 5, 3938, 6, 7563);

    public static GpuInfo gather(NvmlSession session) {
        Version version = new Version(session.driverVersion(),
                session.cudaDriverVersion().map(CudaVersion::toString).orElse(null));
        List<NvmlDevice> handles = session.devices();
        List<List<P2PLink>> topology = new ArrayList<>();
        List<String> busIds = new ArrayList<>();
        for (NvmlDevice handle : handles) {
            topology.add(new ArrayList<>());
            busIds.add(handle.pciInfo().map(PciInfo::busId).orElse(null));
        }
        for (int i = 0; i < handles.size(); i++) {
            for (int j = i + 1; j < handles.size(); j++) {
                // 1.0 listed a peer only when CUDA said it could access it; NVML's P2P read status says the same.
                if (handles.get(i).p2pStatus(handles.get(j), P2PCapability.READ).orElse(null) != P2PStatus.OK) {
                    continue;
                }
                int link = handles.get(i).topologyTo(handles.get(j)).map(TopologyLevel::legacyLink).orElse(0);
                topology.get(i).add(new P2PLink(busIds.get(j), link));
                topology.get(j).add(new P2PLink(busIds.get(i), link));
            }
        }
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            devices.add(device(session, handles.get(i), busIds.get(i), topology.get(i)));
        }
        return new GpuInfo(version, devices);
    }

    private static Device device(NvmlSession session, NvmlDevice gpu, String busId, List<P2PLink> topology) {
        Optional<ComputeCapability> capability = gpu.computeCapability();
        OptionalInt maxMemoryClock = gpu.maxClock(ClockType.MEMORY);
        OptionalInt busWidth = gpu.memoryBusWidth();
        // Double data rate: two transfers per clock, bus width in bits (1.0 did this with CUDA's numbers).
        Long memoryBandwidth = maxMemoryClock.isPresent() && busWidth.isPresent()
                ? 2L * Integer.toUnsignedLong(maxMemoryClock.getAsInt()) * Integer.toUnsignedLong(busWidth.getAsInt()) / 8
                : null;
        OptionalInt generation = gpu.maxPcieLinkGeneration();
        OptionalInt width = gpu.maxPcieLinkWidth();
        Integer pciBandwidth = generation.isPresent() && width.isPresent()
                && PCIE_LANE_MBPS.containsKey(generation.getAsInt())
                ? PCIE_LANE_MBPS.get(generation.getAsInt()) * width.getAsInt() : null;
        OptionalInt minor = gpu.minorNumber();
        List<MigDevice> mig = null;
        List<NvmlDevice> migHandles = gpu.migDevices();
        if (!migHandles.isEmpty()) {
            mig = migHandles.stream().map(m -> new MigDevice(m.uuid().orElse(null),
                    Units.nullable(m.gpuInstanceId()), Units.nullable(m.computeInstanceId()),
                    m.memory().map(MemoryUsage::totalMiB).orElse(null))).toList();
        }
        return new Device(
                gpu.uuid().orElse(null),
                minor.isPresent() ? "/dev/nvidia" + minor.getAsInt() : null,
                gpu.name().orElse(null),
                Units.divided(gpu.powerLimitMilliwatts(), 1000),
                Units.nullable(gpu.numaNode()),
                new Pci(busId, gpu.bar1Memory().map(MemoryUsage::totalMiB).orElse(null), pciBandwidth),
                new Clocks(Units.nullable(gpu.maxClock(ClockType.SM)), Units.nullable(maxMemoryClock)),
                List.copyOf(topology),
                capability.flatMap(ComputeCapability::family).orElse(null),
                capability.map(ComputeCapability::toString).orElse(null),
                Units.nullable(gpu.gpuCores()),
                new Memory(gpu.eccMode().map(ModeState::current).orElse(null),
                        gpu.memory().map(MemoryUsage::totalMiB).orElse(null), null, null, null, memoryBandwidth),
                mig);
    }

    /** The text page, laid out as nvidia-docker 1.0's /gpu/info. */
    public String toText() {
        AlignedText page = new AlignedText().line("")
                .row("Driver version:  ", Units.or(version.driver(), ""))
                .row("Supported CUDA version:  ", Units.or(version.cuda(), ""));
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            page.line("").line("Device #" + i)
                    .row("  Model:  ", Units.or(d.model(), ""))
                    .row("  UUID:  ", Units.or(d.uuid(), ""))
                    .row("  Path:  ", Units.or(d.path(), ""))
                    .row("  Family: ", Units.or(d.family(), ""))
                    .row("  Arch:  ", Units.or(d.arch(), ""))
                    .row("  Cores:  ", Units.or(d.cores(), ""))
                    .row("  Power:  ", Units.or(d.power(), " W"))
                    .row("  CPU Affinity:  ", d.cpuAffinity() == null ? Units.NA : "NUMA node" + d.cpuAffinity())
                    .line("  PCI")
                    .row("    Bus ID:  ", Units.or(d.pci().busId(), ""))
                    .row("    BAR1:  ", Units.or(d.pci().bar1(), " MiB"))
                    .row("    Bandwidth:  ", Units.or(d.pci().bandwidth(), " MB/s"))
                    .line("  Memory")
                    .row("    ECC:  ", Units.or(d.memory().ecc(), ""))
                    .row("    Global:  ", Units.or(d.memory().global(), " MiB"))
                    .row("    Constant:  ", Units.or(d.memory().constant(), " KiB"))
                    .row("    Shared:  ", Units.or(d.memory().shared(), " KiB"))
                    .row("    L2 Cache:  ", Units.or(d.memory().l2Cache(), " KiB"))
                    .row("    Bandwidth:  ", Units.or(d.memory().bandwidth(), " MB/s"))
                    .line("  Clocks")
                    .row("    Cores:  ", Units.or(d.clocks().cores(), " MHz"))
                    .row("    Memory:  ", Units.or(d.clocks().memory(), " MHz"));
            if (d.topology() == null || d.topology().isEmpty()) {
                page.row("  P2P Available:  ", "None");
            } else {
                page.line("  P2P Available");
                for (P2PLink link : d.topology()) {
                    page.line("    " + link.busId() + " - " + link.linkDescription());
                }
            }
            if (d.mig() != null && !d.mig().isEmpty()) {
                page.line("  MIG Devices");
                for (int m = 0; m < d.mig().size(); m++) {
                    MigDevice mig = d.mig().get(m);
                    page.row("    MIG " + m + ":  ", Units.or(mig.uuid(), "")
                            + " (GPU instance " + Units.or(mig.gpuInstance(), "")
                            + ", compute instance " + Units.or(mig.computeInstance(), "")
                            + ", " + Units.or(mig.memory(), " MiB") + ")");
                }
            }
        }
        return page.line("").render();
    }

    /** The JSON page, 1.0's /gpu/info/json. */
    public String toJson() {
        return ReportJson.write(this);
    }

    public static GpuInfo fromJson(String json) {
        return ReportJson.read(json, GpuInfo.class, "/gpu/info/json");
    }
}
