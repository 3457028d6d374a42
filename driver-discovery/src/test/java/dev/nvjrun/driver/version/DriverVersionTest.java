package dev.nvjrun.driver.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.DriverDiscoveryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverVersionTest {

    @TempDir
    Path proc;

    private String kernelVersionOf(String text) throws Exception {
        Files.createDirectories(proc.resolve("driver/nvidia"));
        Files.writeString(proc.resolve("driver/nvidia/version"), text);
        return KernelModuleVersion.read(proc);
    }

    @Test
    void readsTheProprietaryModuleVersion() throws Exception {
        assertEquals("550.54.15", kernelVersionOf(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n"
                        + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"));
    }

    @Test
    void readsTheOpenModuleVersion() throws Exception {
        assertEquals("560.35.03", kernelVersionOf(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release Build  (dvs-builder@U16-I3-B03-4-3)  Fri Aug 16 21:42:42 UTC 2024\n"));
    }

    @Test
    void readsAnArm64HostsModuleVersions() throws Exception {
        assertEquals("550.54.15", kernelVersionOf("NVRM version: NVIDIA UNIX aarch64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n"));
        assertEquals("560.35.03", kernelVersionOf(
                "NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  560.35.03  Release Build  (dvs-builder@U16-I3-B03-4-3)  Fri Aug 16 21:42:42 UTC 2024\n"));
    }

    @Test
    void saysTheModuleIsNotLoadedWhenTheFileIsMissing() {
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, () -> KernelModuleVersion.read(proc));
        assertEquals("the NVIDIA kernel module is not loaded: " + proc.resolve("driver/nvidia/version")
                + " does not exist. Load it with modprobe nvidia (or install the driver)", e.getMessage());
    }

    @Test
    void refusesAVersionFileWithoutAVersion() {
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class, () -> kernelVersionOf("garbage\n"));
        assertTrue(e.getMessage().startsWith("cannot find the NVIDIA kernel module version in "), e.getMessage());
    }

    @Test
    void acceptsMatchingVersions() throws Exception {
        DriverVersionCheck check = new DriverVersionCheck("550.54.15", "550.54.15", "550.54.15");
        assertEquals(Optional.empty(), check.problem());
        check.verify();
    }

    @Test
    void tellsTheUserToRebootAfterAnUpgradeWithoutOne() {
        DriverVersionMismatchException e = assertThrows(DriverVersionMismatchException.class,
                () -> new DriverVersionCheck("535.104.05", "535.104.05", "550.54.15").verify());
        assertTrue(e.getMessage().startsWith("NVIDIA driver version mismatch: the loaded kernel module is 535.104.05"
                + " but the installed driver libraries are 550.54.15. Reboot, or reload the nvidia kernel module"), e.getMessage());
    }

    @Test
    void namesAnNvmlThatDisagreesWithTheModule() {
        Optional<String> problem = new DriverVersionCheck("550.54.15", "535.104.05", "550.54.15").problem();
        assertTrue(problem.orElseThrow().startsWith("NVIDIA driver version mismatch: NVML reports 535.104.05"
                + " but the loaded kernel module is 550.54.15"), problem.toString());
    }
}
