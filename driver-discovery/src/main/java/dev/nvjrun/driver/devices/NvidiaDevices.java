package dev.nvjrun.driver.devices;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device nodes of the NVIDIA driver: one per GPU, the control devices, and the MIG capability
 * devices. Numbers come from the driver's conventions and /proc; where a node already exists under
 * the device root it is stat'ed, and a node whose numbers disagree is refused.
 */
public final class NvidiaDevices {

    public static final int NVIDIA_MAJOR = 195;
    public static final int NVIDIACTL_MINOR = 255;
    public static final int MODESET_MINOR = 254;
    private static final int DEFAULT_MODE = 0666;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final Logger LOG = LoggerFactory.getLogger(NvidiaDevices.class);

    private final HostRoots roots;

    public NvidiaDevices(HostRoots roots) {
        this.roots = roots;
    }

    /** /dev/nvidia{minor} for each GPU minor, in the order given. */
    public List<DeviceNode> gpus(Collection<Integer> minors) throws DriverDiscoveryException {
        List<DeviceNode> out = new ArrayList<>(minors.size());
        for (int minor : minors) {
            if (minor < 0 || minor >= MODESET_MINOR) {
                throw new DriverDiscoveryException("GPU minor number " + minor + " is outside 0..253, which the"
                        + " NVIDIA driver never assigns. Check the GPU list that NVML reported");
            }
            out.add(checked("/dev/nvidia" + minor, NVIDIA_MAJOR, minor));
        }
        return out;
    }

    /** /dev/nvidiactl, /dev/nvidia-uvm and /dev/nvidia-uvm-tools (when nvidia-uvm is loaded), /dev/nvidia-modeset. */
    public List<DeviceNode> controlDevices() throws DriverDiscoveryException {
        List<DeviceNode> out = new ArrayList<>();
        out.add(checked("/dev/nvidiactl", NVIDIA_MAJOR, NVIDIACTL_MINOR));
        out.addAll(uvm());
        out.add(modeset());
        return out;
    }

    public DeviceNode modeset() throws DriverDiscoveryException {
        return checked("/dev/nvidia-modeset", NVIDIA_MAJOR, MODESET_MINOR);
    }

    /** The unified-memory nodes; empty (with a warning) when the nvidia-uvm module is not loaded. */
    public List<DeviceNode> uvm() throws DriverDiscoveryException {
        Optional<Integer> major = ProcDevices.read(roots.procRoot()).major("nvidia-uvm");
        if (major.isEmpty()) {
            LOG.warn("nvidia-uvm is not in {}/devices: CUDA will not work until it is loaded (nvidia-modprobe -u -c=0)",
                    roots.procRoot());
            return List.of();
        }
        return List.of(checked("/dev/nvidia-uvm", major.get(), 0), checked("/dev/nvidia-uvm-tools", major.get(), 1));
    }

    /** The MIG capability minors, e.g. "config" → 1, "gpu0/gi1/access" → 12. */
    public Map<String, Integer> migMinors() throws DriverDiscoveryException {
        Path file = roots.procRoot().resolve("driver/nvidia-caps/mig-minors");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new DriverDiscoveryException("MIG capability devices are unknown: " + file + " does not exist."
                    + " Use a driver of version 450 or newer with the nvidia-caps module loaded", e);
        } catch (IOException e) {
            throw new DriverDiscoveryException("cannot read " + file + " (" + e.getMessage() + "). Check that /proc is mounted", e);
        }
        Map<String, Integer> minors = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[1].matches("\\d{1,9}")) {
                minors.put(parts[0], Integer.parseInt(parts[1]));
            } else if (!line.isBlank()) {
                throw new DriverDiscoveryException("cannot parse line \"" + line + "\" of " + file
                        + ": expected \"<capability> <minor>\". Reload the nvidia-caps module");
            }
        }
        return minors;
    }

    /** The node of one MIG capability such as "gpu0/gi1/access" or "config". */
    public DeviceNode migCapability(String capability) throws DriverDiscoveryException {
        Integer minor = migMinors().get(capability);
        if (minor == null) {
            throw new DriverDiscoveryException("MIG capability \"" + capability + "\" is not in "
                    + roots.procRoot().resolve("driver/nvidia-caps/mig-minors")
                    + ". Check that MIG is enabled and the GPU instance exists (nvidia-smi mig -lgi)");
        }
        int major = ProcDevices.read(roots.procRoot()).major("nvidia-caps").orElseThrow(() -> new DriverDiscoveryException(
                "nvidia-caps is not in " + roots.procRoot().resolve("devices")
                        + ", so MIG capability devices cannot be created. Load the NVIDIA driver 450 or newer"));
        return checked("/dev/nvidia-caps/nvidia-cap" + minor, major, minor);
    }

    /** What a container needs to use one MIG device: the GPU instance's and the compute instance's access nodes. */
    public List<DeviceNode> migDevice(int gpuMinor, int gpuInstance, int computeInstance) throws DriverDiscoveryException {
        String gi = "gpu" + gpuMinor + "/gi" + gpuInstance;
        return List.of(migCapability(gi + "/access"), migCapability(gi + "/ci" + computeInstance + "/access"));
    }

    private DeviceNode checked(String path, int major, int minor) throws DriverDiscoveryException {
        Path host = roots.inDevRoot(path);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            LOG.debug("{} does not exist yet; using {}:{}", host, major, minor);
            return new DeviceNode(path, major, minor, DeviceType.CHAR, DEFAULT_MODE);
        }
        int mode;
        long rdev;
        try {
            Map<String, Object> attrs = Files.readAttributes(host, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            mode = (Integer) attrs.get("mode");
            rdev = (Long) attrs.get("rdev");
        } catch (IOException | UnsupportedOperationException e) {
            throw new DriverDiscoveryException("cannot stat " + host + " (" + e.getMessage()
                    + "). Check the permissions of the device root", e);
        }
        if ((mode & S_IFMT) != S_IFCHR) {
            throw new DriverDiscoveryException(host + " is not a character device. Remove it so that the"
                    + " NVIDIA driver (nvidia-modprobe) can create the real node " + major + ":" + minor);
        }
        int realMajor = DeviceNode.majorOf(rdev);
        int realMinor = DeviceNode.minorOf(rdev);
        if (realMajor != major || realMinor != minor) {
            throw new DriverDiscoveryException(host + " is device " + realMajor + ":" + realMinor + " but the NVIDIA driver"
                    + " uses " + major + ":" + minor + " for it. Remove the stale node and let nvidia-modprobe recreate it");
        }
        return new DeviceNode(path, major, minor, DeviceType.CHAR, mode & 07777);
    }
}
