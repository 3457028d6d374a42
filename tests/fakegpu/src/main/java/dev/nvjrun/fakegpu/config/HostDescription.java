package dev.nvjrun.fakegpu.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.HostSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the gpus.json that the mock NVML answers from, out of a {@link HostSpec}, and reads the
 * GPU list back out of any such document. Member names are the mock's contract (see README).
 */
public final class HostDescription {

    private static final long GIB = 1024L * 1024L * 1024L;
    private static final int TOPOLOGY_INTERNAL = 0;
    private static final int TOPOLOGY_SINGLE = 10;
    private static final int TOPOLOGY_NODE = 40;
    private static final int TOPOLOGY_SYSTEM = 50;
    private static final int P2P_OK = 0;
    private static final int P2P_CHIPSET_NOT_SUPPORTED = 1;
    private static final int P2P_NOT_SUPPORTED = 5;
    /** The one process the default host runs on GPU 0, so process queries have something to list. */
    public static final int DEFAULT_PROCESS_PID = 4242;
    public static final String DEFAULT_PROCESS_NAME = "/usr/bin/python3";

    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public ObjectNode describe(HostSpec spec) {
        ObjectNode root = json.objectNode();
        root.put("driverVersion", spec.driverVersion());
        root.put("nvmlVersion", "12." + spec.driverVersion());
        root.put("cudaDriverVersion", spec.cudaDriverVersion());
        root.putObject("failures").putArray("notSupported");
        GpuModel model = GpuModel.named(spec.model());
        ArrayNode gpus = root.putArray("gpus");
        for (int i = 0; i < spec.gpus(); i++) {
            gpus.add(gpu(spec, model, i));
        }
        return root;
    }

    /** The GPUs of a gpus.json document, in index order. */
    public List<FakeGpu> gpus(JsonNode root) {
        List<FakeGpu> list = new ArrayList<>();
        JsonNode gpus = root.path("gpus");
        for (int i = 0; i < gpus.size(); i++) {
            JsonNode gpu = gpus.get(i);
            list.add(new FakeGpu(i, gpu.path("uuid").asText(), gpu.path("minor").asInt(i),
                    gpu.path("pci").path("busId").asText(), gpu.path("name").asText()));
        }
        return List.copyOf(list);
    }

    /** Deterministic "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" for a model and index. */
    public static String gpuUuid(String model, int index) {
        return "GPU-" + UUID.nameUUIDFromBytes(("nvjrun-fakegpu:" + model + ":" + index)
                .getBytes(StandardCharsets.UTF_8));
    }

    public static String busId(int index) {
        return "00000000:%02X:00.0".formatted(index + 1);
    }

    private ObjectNode gpu(HostSpec spec, GpuModel model, int index) {
        int count = spec.gpus();
        String uuid = gpuUuid(model.name(), index);
        ObjectNode gpu = json.objectNode();
        gpu.put("index", index);
        gpu.put("name", model.name());
        gpu.put("brand", model.brand());
        gpu.put("architecture", model.architecture());
        gpu.putObject("computeCapability").put("major", model.computeMajor()).put("minor", model.computeMinor());
        gpu.put("uuid", uuid);
        gpu.put("serial", "%013d".formatted(1_324_220_000_000L + index));
        gpu.put("minor", index);
        gpu.putObject("pci").put("busId", busId(index)).put("domain", 0).put("bus", index + 1).put("device", 0)
                .put("pciDeviceId", model.combinedDeviceId()).put("pciSubSystemId", model.combinedSubSystemId());
        gpu.putObject("pcie").put("maxGeneration", model.pcieGeneration()).put("maxWidth", 16)
                .put("currentGeneration", model.pcieGeneration()).put("currentWidth", 16)
                .put("txKBps", 1200 + index).put("rxKBps", 3400 + index);
        long used = index == 0 ? GIB : 0;
        gpu.set("memory", memory(model.memoryBytes(), used));
        gpu.set("bar1", memory(model.bar1Bytes(), 2L * 1024 * 1024));
        gpu.put("memoryBusWidth", model.memoryBusWidth());
        gpu.put("cores", model.cores());
        gpu.put("powerLimit", model.powerLimitMilliwatts());
        gpu.put("powerUsage", 61_000 + 1000 * index);
        gpu.put("temperature", 31 + index);
        gpu.putObject("utilization").put("gpu", index == 0 ? 17 : 0).put("memory", index == 0 ? 3 : 0);
        gpu.putObject("encoderUtilization").put("value", 0).put("samplingPeriodUs", 167_000);
        gpu.putObject("decoderUtilization").put("value", 0).put("samplingPeriodUs", 167_000);
        List<Integer> max = model.maxClocksMhz();
        gpu.putObject("clocks").put("graphics", 210).put("sm", 210).put("mem", max.get(2)).put("video", 585);
        gpu.putObject("maxClocks").put("graphics", max.get(0)).put("sm", max.get(1)).put("mem", max.get(2))
                .put("video", max.get(3));
        ObjectNode ecc = gpu.putObject("ecc").put("current", 1).put("pending", 1);
        ObjectNode errors = ecc.putObject("errors");
        errors.putObject("volatile").put("corrected", 0).put("uncorrected", 0);
        errors.putObject("aggregate").put("corrected", index == 0 ? 2 : 0).put("uncorrected", 0);
        ArrayNode processes = gpu.putArray("processes");
        if (index == 0) {
            processes.addObject().put("pid", DEFAULT_PROCESS_PID).put("usedMemory", GIB)
                    .put("name", DEFAULT_PROCESS_NAME);
        }
        int numa = numaNode(index, count);
        gpu.put("numaNode", numa);
        // A 64-CPU machine: NUMA node 0 owns CPUs 0-31, node 1 CPUs 32-63.
        gpu.putArray("cpuAffinity").add(new BigInteger(numa == 0 ? "00000000FFFFFFFF" : "FFFFFFFF00000000", 16));
        ArrayNode topology = gpu.putArray("topology");
        ObjectNode p2p = gpu.putObject("p2p");
        ArrayNode read = p2p.putArray("read");
        ArrayNode write = p2p.putArray("write");
        ArrayNode nvlink = p2p.putArray("nvlink");
        ArrayNode atomics = p2p.putArray("atomics");
        ArrayNode pci = p2p.putArray("pci");
        for (int peer = 0; peer < count; peer++) {
            boolean sameNode = numaNode(peer, count) == numa;
            topology.add(peer == index ? TOPOLOGY_INTERNAL
                    : peer / 2 == index / 2 ? TOPOLOGY_SINGLE : sameNode ? TOPOLOGY_NODE : TOPOLOGY_SYSTEM);
            int pciStatus = sameNode || model.nvlink() ? P2P_OK : P2P_CHIPSET_NOT_SUPPORTED;
            read.add(pciStatus);
            write.add(pciStatus);
            pci.add(pciStatus);
            atomics.add(model.nvlink() ? P2P_OK : P2P_NOT_SUPPORTED);
            nvlink.add(model.nvlink() && peer != index ? P2P_OK : P2P_NOT_SUPPORTED);
        }
        gpu.put("persistenceMode", 1);
        if (model.migCapable()) {
            gpu.set("mig", mig(spec, model, uuid));
        }
        gpu.put("lost", false);
        return gpu;
    }

    private ObjectNode mig(HostSpec spec, GpuModel model, String parentUuid) {
        ObjectNode mig = json.objectNode();
        int mode = spec.mig() ? 1 : 0;
        mig.put("current", mode).put("pending", mode).put("maxDevices", 7);
        ArrayNode devices = mig.putArray("devices");
        if (spec.mig()) {
            // Two 3g slices, GPU instances 1 and 2, each with compute instance 0.
            long sliceMemory = model.memoryBytes() / 2 - 256L * 1024 * 1024;
            String profile = "3g." + Math.round(model.memoryBytes() / 2.0 / GIB) + "gb";
            for (int m = 0; m < 2; m++) {
                int gi = m + 1;
                ObjectNode device = devices.addObject();
                device.put("index", m);
                device.put("name", model.name() + " MIG " + profile);
                device.put("uuid", "MIG-" + UUID.nameUUIDFromBytes((parentUuid + "/gi" + gi + "/ci0")
                        .getBytes(StandardCharsets.UTF_8)));
                device.put("gpuInstanceId", gi);
                device.put("computeInstanceId", 0);
                device.put("profile", profile);
                device.put("architecture", model.architecture());
                device.put("brand", model.brand());
                device.putObject("computeCapability").put("major", model.computeMajor())
                        .put("minor", model.computeMinor());
                device.set("memory", memory(sliceMemory, 0));
            }
        }
        return mig;
    }

    private ObjectNode memory(long total, long used) {
        return json.objectNode().put("total", total).put("free", total - used).put("used", used);
    }

    private static int numaNode(int index, int count) {
        return count > 1 && index >= (count + 1) / 2 ? 1 : 0;
    }
}
