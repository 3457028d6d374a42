package dev.nvjrun.runtime.spec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecWriterTest {
    private static ContainerSpec minimal(List<String> args, byte[] seccomp) {
        return new ContainerSpec(Path.of("/r"), new ProcessSpec(args, List.of("A=b"), "/", User.ROOT, List.of(), false), "h",
                EnumSet.of(Namespace.MOUNT, Namespace.UTS), List.of(new Mount("proc", "/proc", "proc", Set.of(MountFlag.NOSUID), "")),
                List.of(), List.of(), List.of("/proc/keys"), List.of(), true, CgroupResources.UNLIMITED,
                new Security(EnumSet.of(Capability.CHOWN, Capability.KILL), true, seccomp), null, List.of());
    }

    @Test
    void writesLengthPrefixedRecordsInOrder() {
        String wire = new String(SpecWriter.write(minimal(List.of("sh", "-c", "a\nb"), new byte[0]), List.of(Path.of("/cg")),
                Supervision.FOREGROUND), StandardCharsets.UTF_8);
        assertEquals("NVJRUN-SPEC 1\nROOTFS 1\n2\n/r\nARG 1\n2\nsh\nARG 1\n2\n-c\nARG 1\n3\na\nb\nENV 1\n3\nA=b\nCWD 1\n1\n/\n"
                + "USER 2\n1\n0\n1\n0\nHOSTNAME 1\n1\nh\nNAMESPACE 1\n5\nmount\nNAMESPACE 1\n3\nuts\nCGROUP 1\n3\n/cg\n"
                + "MOUNT 5\n4\nproc\n5\n/proc\n4\nproc\n1\n2\n0\n\nMASK 1\n10\n/proc/keys\nREADONLY_ROOTFS 0\n"
                + "CAPS 5\n2\n33\n2\n33\n2\n33\n1\n0\n1\n0\nNO_NEW_PRIVS 0\nEND 0\n", wire);
    }

    @Test
    void carriesTheSeccompProgramAsRawBytes() {
        byte[] program = {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f};
        byte[] wire = SpecWriter.write(minimal(List.of("true"), program), List.of(), Supervision.FOREGROUND);
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("SECCOMP 1\n8\n") + "SECCOMP 1\n8\n".length();
        byte[] carried = new byte[8];
        System.arraycopy(wire, at, carried, 0, 8);
        assertArrayEquals(program, carried);
    }

    @Test
    void refusesNulBytesInValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecWriter.write(minimal(List.of("a\0b"), new byte[0]), List.of(), Supervision.FOREGROUND));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void writesTheNetworkNamespaceFileToJoin() {
        String wire = new String(SpecWriter.write(minimal(List.of("true"), new byte[0]).withNetworkNamespace(Path.of("/run/netns/x")),
                List.of(), Supervision.FOREGROUND), StandardCharsets.UTF_8);
        assertTrue(wire.contains("NETNS 1\n12\n/run/netns/x\n"), wire);
        assertTrue(!wire.contains("LOOPBACK_UP") && !wire.contains("network"), wire);
    }

    @Test
    void writesTheLdconfigCommandAsOneRecordAfterTheMountsAndRefusesARelativeOne() {
        ContainerSpec spec = minimal(List.of("true"), new byte[0]).withLdconfig(List.of("/sbin/ldconfig", "-r", "/r", "/usr/local/nvidia/lib64"));
        String wire = new String(SpecWriter.write(spec, List.of(), Supervision.FOREGROUND), StandardCharsets.UTF_8);
        assertTrue(wire.contains("\nLDCONFIG 4\n14\n/sbin/ldconfig\n2\n-r\n2\n/r\n23\n/usr/local/nvidia/lib64\nMASK "), wire);
        assertTrue(wire.indexOf("LDCONFIG") > wire.indexOf("MOUNT"), wire);
        assertTrue(!new String(SpecWriter.write(minimal(List.of("true"), new byte[0]), List.of(), Supervision.FOREGROUND),
                StandardCharsets.UTF_8).contains("LDCONFIG"));
        assertThrows(IllegalArgumentException.class, () -> spec.withLdconfig(List.of("ldconfig", "-r", "/r")));
    }

    @Test
    void refusesMountTargetsThatClimbOutOfTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> Mount.bind("/etc", "/../etc", false));
        assertThrows(IllegalArgumentException.class, () -> Mount.bind("/etc", "relative", false));
    }

    @Test
    void refusesSpecsWithoutCommandOrMountNamespace() {
        IllegalArgumentException noCommand = assertThrows(IllegalArgumentException.class, () -> minimal(List.of(), new byte[0]));
        assertTrue(noCommand.getMessage().contains("command"));
        assertThrows(IllegalArgumentException.class, () -> minimal(List.of("true"), new byte[0]).withNamespaces(EnumSet.of(Namespace.PID)));
    }

    @Test
    void refusesSeccompProgramsOfPartialInstructions() {
        assertThrows(IllegalArgumentException.class, () -> new Security(Set.of(), false, new byte[5]));
    }

    @Test
    void refusesInconsistentResources() {
        assertThrows(IllegalArgumentException.class, () -> CgroupResources.UNLIMITED.withMemory(100L, 50L));
        assertThrows(IllegalArgumentException.class, () -> CgroupResources.UNLIMITED.withPidsLimit(0L));
        assertThrows(IllegalArgumentException.class, () -> CgroupResources.UNLIMITED.withBlkioWeight(5));
        assertThrows(IllegalArgumentException.class, () -> new Rlimit(RlimitType.NOFILE, 10, 5));
    }
}
