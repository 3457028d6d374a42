package dev.nvjrun.driver.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs as root (as the project's CI does) so that real device nodes can be made with mknod. */
class NvidiaDevicesTest {

    @TempDir
    Path root;
    NvidiaDevices devices;

    @BeforeEach
    void writeProc() throws IOException {
        Files.createDirectories(root.resolve("proc/driver/nvidia-caps"));
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("proc/devices"), """
                Character devices:
                  1 mem
                195 nvidia-frontend
                236 nvidia-caps
                507 nvidia-uvm
                
                Block devices:
                  7 loop
                259 blkext
                """);
        devices = new NvidiaDevices(HostRoots.under(root));
    }

    private void mknod(String path, int major, int minor, String mode) {
        HostTools.run("mknod", "-m", mode, root.resolve(path.substring(1)).toString(), "c",
                String.valueOf(major), String.valueOf(minor));
    }

    @Test
    void namesGpuNodesByMinorWithTheNvidiaMajor() throws Exception {
        assertEquals(List.of(new DeviceNode("/dev/nvidia0", 195, 0, DeviceType.CHAR, 0666),
                        new DeviceNode("/dev/nvidia3", 195, 3, DeviceType.CHAR, 0666)),
                devices.gpus(List.of(0, 3)));
    }

    @Test
    void takesTheModeOfAnExistingNodeWithTheRightNumbers() throws Exception {
        mknod("/dev/nvidia0", 195, 0, "0660");
        assertEquals(new DeviceNode("/dev/nvidia0", 195, 0, DeviceType.CHAR, 0660), devices.gpus(List.of(0)).get(0));
    }

    @Test
    void refusesANodeWithOtherNumbers() {
        mknod("/dev/nvidia1", 195, 7, "0666");
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, () -> devices.gpus(List.of(1)));
        assertEquals(root.resolve("dev/nvidia1") + " is device 195:7 but the NVIDIA driver uses 195:1 for it."
                + " Remove the stale node and let nvidia-modprobe recreate it", e.getMessage());
    }

    @Test
    void refusesARegularFileWhereANodeShouldBe() throws IOException {
        Files.writeString(root.resolve("dev/nvidiactl"), "");
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, devices::controlDevices);
        assertTrue(e.getMessage().contains("nvidiactl is not a character device"), e.getMessage());
    }

    @Test
    void refusesAMinorTheDriverNeverAssigns() {
        assertThrows(DriverDiscoveryException.class, () -> devices.gpus(List.of(255)));
        assertThrows(DriverDiscoveryException.class, () -> devices.gpus(List.of(-1)));
    }

    @Test
    void readsTheUvmMajorFromProcDevices() throws Exception {
        mknod("/dev/nvidia-uvm", 507, 0, "0666");
        assertEquals(List.of(new DeviceNode("/dev/nvidiactl", 195, 255, DeviceType.CHAR, 0666),
                        new DeviceNode("/dev/nvidia-uvm", 507, 0, DeviceType.CHAR, 0666),
                        new DeviceNode("/dev/nvidia-uvm-tools", 507, 1, DeviceType.CHAR, 0666),
                        new DeviceNode("/dev/nvidia-modeset", 195, 254, DeviceType.CHAR, 0666)),
                devices.controlDevices());
    }

    @Test
    void leavesOutUvmWhenTheModuleIsNotLoaded() throws Exception {
        Files.writeString(root.resolve("proc/devices"), "Character devices:\n195 nvidia-frontend\n");
        assertEquals(List.of(), devices.uvm());
    }

    @Test
    void findsMigCapabilityDevicesFromMigMinors() throws Exception {
        Files.writeString(root.resolve("proc/driver/nvidia-caps/mig-minors"),
                "config 1\nmonitor 2\ngpu0/gi1/access 12\ngpu0/gi1/ci0/access 13\n");
        assertEquals(Map.of("config", 1, "monitor", 2, "gpu0/gi1/access", 12, "gpu0/gi1/ci0/access", 13), devices.migMinors());
        assertEquals(List.of(new DeviceNode("/dev/nvidia-caps/nvidia-cap12", 236, 12, DeviceType.CHAR, 0666),
                        new DeviceNode("/dev/nvidia-caps/nvidia-cap13", 236, 13, DeviceType.CHAR, 0666)),
                devices.migDevice(0, 1, 0));
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, () -> devices.migDevice(0, 2, 0));
        assertTrue(e.getMessage().startsWith("MIG capability \"gpu0/gi2/access\" is not in"), e.getMessage());
    }

    @Test
    void refusesAMalformedMigMinorsFile() throws IOException {
        Files.writeString(root.resolve("proc/driver/nvidia-caps/mig-minors"), "config one\n");
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, devices::migMinors);
        assertTrue(e.getMessage().startsWith("cannot parse line \"config one\""), e.getMessage());
    }

    @Test
    void saysWhenMigMinorsIsMissing() {
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, devices::migMinors);
        assertTrue(e.getMessage().contains("mig-minors does not exist"), e.getMessage());
    }

    @Test
    void encodesLargeMajorsAndMinorsAsTheKernelDoes() throws Exception {
        Path node = root.resolve("dev/big");
        HostTools.run("mknod", node.toString(), "c", "511", "300");
        long rdev = (Long) Files.getAttribute(node, "unix:rdev");
        assertEquals(rdev, new DeviceNode("/dev/big", 511, 300, DeviceType.CHAR, 0666).rdev());
        assertEquals(511, DeviceNode.majorOf(rdev));
        assertEquals(300, DeviceNode.minorOf(rdev));
    }

    @Test
    void parsesTheRealProcDevices() throws Exception {
        ProcDevices real = ProcDevices.read(Path.of("/proc"));
        assertEquals(1, real.major("mem").orElseThrow());
        assertTrue(real.major("loop").isEmpty(), "block devices must not be taken for character devices");
    }
}
