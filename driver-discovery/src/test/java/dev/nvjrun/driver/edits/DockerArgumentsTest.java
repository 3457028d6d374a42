package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.devices.DeviceType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerArgumentsTest {

    private static DeviceNode node(String path, int major, int minor) {
        return new DeviceNode(path, major, minor, DeviceType.CHAR, 0666);
    }

    private static final List<DeviceNode> DEVICES = List.of(node("/dev/nvidiactl", 195, 255),
            node("/dev/nvidia-uvm", 510, 0), node("/dev/nvidia-uvm-tools", 510, 1), node("/dev/nvidia0", 195, 0));

    private static ContainerEdits edits(List<Mount> mounts) {
        return new ContainerEdits(DEVICES, mounts, List.of(), Map.of("NVIDIA_VISIBLE_DEVICES", "all"),
                List.of("/usr/local/nvidia/bin"), List.of(), Optional.empty());
    }

    @Test
    void rendersNvidiaDocker1sCliLine() {
        ContainerEdits e = edits(List.of(
                new Mount.DriverVolume("nvidia_driver_550.54.15", Path.of("/var/lib/v"), "/usr/local/nvidia"),
                new Mount.Bind(Path.of("/lib/firmware/nvidia/550.54.15/gsp_ga10x.bin"),
                        "/lib/firmware/nvidia/550.54.15/gsp_ga10x.bin", true)));
        assertEquals("--volume-driver=nvidia-docker --volume=nvidia_driver_550.54.15:/usr/local/nvidia:ro"
                        + " --device=/dev/nvidiactl --device=/dev/nvidia-uvm --device=/dev/nvidia-uvm-tools"
                        + " --device=/dev/nvidia0",
                DockerArguments.nvidiaDocker1(e, "nvidia-docker").cliLine());
    }

    @Test
    void rendersEveryMountWithItsMode() {
        ContainerEdits e = edits(List.of(new Mount.Bind(Path.of("/h/libcuda.so.1"), "/usr/local/nvidia/lib64/libcuda.so.1", true),
                new Mount.Bind(Path.of("/tmp/nvidia-mps"), "/tmp/nvidia-mps", false)));
        List<String> args = DockerArguments.of(e, "nvidia-docker").argumentList();
        assertEquals(List.of("--volume=/h/libcuda.so.1:/usr/local/nvidia/lib64/libcuda.so.1:ro",
                "--volume=/tmp/nvidia-mps:/tmp/nvidia-mps", "--device=/dev/nvidiactl", "--device=/dev/nvidia-uvm",
                "--device=/dev/nvidia-uvm-tools", "--device=/dev/nvidia0"), args);
    }

    @Test
    void addsTheEnvironmentOnlyWhenAsked() {
        DockerArguments d = DockerArguments.of(edits(List.of()), "nvidia-docker");
        assertTrue(d.argumentListWithEnvironment().contains("--env=NVIDIA_VISIBLE_DEVICES=all"));
        assertTrue(d.argumentList().stream().noneMatch(a -> a.startsWith("--env")));
    }
}
