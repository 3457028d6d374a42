package dev.nvjrun.plugin.host;

import dev.nvjrun.driver.devices.DeviceType;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.ResolvedRequest;

import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GPU host held in memory, for tests: N GPUs with UUIDs {@code GPU-<index>a…}, the usual control
 * devices, the driver files it is given, and status values that tests can change.
 */
public final class InMemoryGpuHost implements GpuHost {

    private final String driverVersion;
    private final List<Gpu> gpus;
    private final List<VolumeFile> files;
    private final Map<Integer, GpuStatus> statuses = new ConcurrentHashMap<>();
    /** How often each static method was called: the daemon must cache their answers. */
    public final AtomicInteger staticCalls = new AtomicInteger();
    public final AtomicInteger statusCalls = new AtomicInteger();
    /** When set, status calls wait for it: lets a test hold a request in flight. */
    public volatile CountDownLatch statusGate;
    public final CountDownLatch statusEntered = new CountDownLatch(1);

    public InMemoryGpuHost(String driverVersion, int gpuCount, List<VolumeFile> files) {
        this.driverVersion = driverVersion;
        List<Gpu> list = new ArrayList<>();
        for (int i = 0; i < gpuCount; i++) {
            list.add(new Gpu(i, uuid(i), i, "/dev/nvidia" + i, "Tesla T" + i, "00000000:0" + i + ":00.0", 16384,
                    List.of(new GpuLink("00000000:0" + ((i + 1) % Math.max(gpuCount, 1)) + ":00.0", "PCIe switch")),
                    i == 0 ? List.of(new MigDevice("MIG-" + i + "-0", 1, 0, "1g.10gb")) : List.of()));
            statuses.put(i, new GpuStatus(i, 10 + i, 5, 1024L * (i + 1), 16384L, 40 + i, 70.5 + i));
        }
        this.gpus = List.copyOf(list);
        this.files = List.copyOf(files);
    }

    public static String uuid(int index) {
        return "GPU-" + index + "a1b2c3d-0000-1111-2222-33334444555" + index;
    }

    public void setStatus(GpuStatus status) {
        statuses.put(status.index(), status);
    }

    @Override
    public String driverVersion() {
        staticCalls.incrementAndGet();
        return driverVersion;
    }

    @Override
    public List<Gpu> gpus() {
        staticCalls.incrementAndGet();
        return gpus;
    }

    @Override
    public List<DeviceNode> controlDevices() {
        staticCalls.incrementAndGet();
        return List.of(new DeviceNode("/dev/nvidiactl", 195, 255), new DeviceNode("/dev/nvidia-uvm", 510, 0),
                new DeviceNode("/dev/nvidia-uvm-tools", 510, 1));
    }

    /**
     * The device part of DriverInjection's edits without a driver root: control devices, then the
     * selected GPUs. The real DriverInjection is exercised over the simulated host ({@code NvmlGpuHostTest},
     * {@code SharedRequestPathTest}).
     */
    @Override
    public ContainerEdits edits(ResolvedRequest request) {
        List<dev.nvjrun.driver.devices.DeviceNode> nodes = new ArrayList<>();
        for (DeviceNode control : List.of(new DeviceNode("/dev/nvidiactl", 195, 255),
                new DeviceNode("/dev/nvidia-uvm", 510, 0), new DeviceNode("/dev/nvidia-uvm-tools", 510, 1))) {
            nodes.add(new dev.nvjrun.driver.devices.DeviceNode(control.path(), control.major(), control.minor(),
                    DeviceType.CHAR, 0666));
        }
        for (HostGpu gpu : request.gpus()) {
            nodes.add(new dev.nvjrun.driver.devices.DeviceNode(gpu.devicePath(), 195, gpu.minor(), DeviceType.CHAR, 0666));
        }
        return new ContainerEdits(nodes, List.of(), List.of(), Map.of(), List.of(), List.of(), Optional.empty());
    }

    @Override
    public List<VolumeFile> driverFiles(String volume) {
        return "nvidia_driver".equals(volume) ? files : List.of();
    }

    @Override
    public String infoText() {
        staticCalls.incrementAndGet();
        return "Driver version: " + driverVersion + "\nDevices: " + gpus.size() + "\n";
    }

    @Override
    public String infoJson() {
        staticCalls.incrementAndGet();
        StringBuilder json = new StringBuilder("{\"Version\":{\"Driver\":\"" + driverVersion + "\",\"CUDA\":\"12.4\"},\"Devices\":[");
        for (Gpu gpu : gpus) {
            json.append(gpu.index() == 0 ? "" : ",").append("{\"UUID\":\"").append(gpu.uuid()).append("\",\"Path\":\"")
                    .append(gpu.devicePath()).append("\"}");
        }
        return json.append("]}\n").toString();
    }

    @Override
    public String statusText() {
        awaitGate();
        return "Device #0\n  Temperature: " + statuses.get(0).temperatureCelsius() + " C\n";
    }

    @Override
    public String statusJson() {
        awaitGate();
        return "{\"Devices\":[{\"Temperature\":" + statuses.get(0).temperatureCelsius() + "}]}";
    }

    @Override
    public GpuStatus status(int index) {
        awaitGate();
        return statuses.get(index);
    }

    private void awaitGate() {
        statusCalls.incrementAndGet();
        CountDownLatch gate = statusGate;
        if (gate != null) {
            statusEntered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
