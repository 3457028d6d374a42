package dev.nvjrun.fakegpu.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The device nodes of a fake host. As root they are real character devices made by mknod, so
 * opening one gives ENXIO (no driver behind the major) or EPERM (device cgroup); otherwise they
 * are empty regular files standing in for the nodes.
 */
public final class DeviceNodes {

    public static final int NVIDIA_MAJOR = 195;
    public static final int NVIDIACTL_MINOR = 255;
    public static final int MODESET_MINOR = 254;
    /** Dynamic-looking majors, above the range this build machine uses, as written to proc/devices. */
    public static final int UVM_MAJOR = 510;
    public static final int CAPS_MAJOR = 511;

    private DeviceNodes() {
    }

    /** The nodes for GPUs with the given minors, and the MIG capability nodes when given. */
    public static List<DeviceNode> forHost(List<Integer> gpuMinors, List<Integer> migCapMinors) {
        List<DeviceNode> nodes = new ArrayList<>();
        for (int minor : gpuMinors) {
            nodes.add(new DeviceNode("dev/nvidia" + minor, NVIDIA_MAJOR, minor));
        }
        nodes.add(new DeviceNode("dev/nvidiactl", NVIDIA_MAJOR, NVIDIACTL_MINOR));
        nodes.add(new DeviceNode("dev/nvidia-modeset", NVIDIA_MAJOR, MODESET_MINOR));
        nodes.add(new DeviceNode("dev/nvidia-uvm", UVM_MAJOR, 0));
        nodes.add(new DeviceNode("dev/nvidia-uvm-tools", UVM_MAJOR, 1));
        for (int minor : migCapMinors) {
            nodes.add(new DeviceNode("dev/nvidia-caps/nvidia-cap" + minor, CAPS_MAJOR, minor));
        }
        return List.copyOf(nodes);
    }

    /** Creates the nodes under root: real char devices as root, empty files otherwise. */
    public static void create(Path root, List<DeviceNode> nodes) throws IOException {
        boolean real = Superuser.active();
        for (DeviceNode node : nodes) {
            Path path = root.resolve(node.path());
            Files.createDirectories(path.getParent());
            if (real) {
                mknod(path, node);
            } else {
                Files.createFile(path);
            }
        }
    }

    private static void mknod(Path path, DeviceNode node) throws IOException {
        Process process = new ProcessBuilder("mknod", "-m", "666", path.toString(), "c",
                Integer.toString(node.major()), Integer.toString(node.minor())).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("cannot create device node " + path + " (" + node.major() + ":" + node.minor()
                        + "): mknod failed (" + output + "); the file system may be mounted nodev");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating device node " + path, e);
        }
    }
}
