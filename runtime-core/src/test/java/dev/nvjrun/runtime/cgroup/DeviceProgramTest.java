package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.cgroup.v2.DeviceProgram;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceProgramTest {
    @Test
    void denyAllProgramIsPreludeThenReturnZero() {
        byte[] p = DeviceProgram.build(List.of());
        assertEquals(8 * 8, p.length);
        assertEquals((byte) 0xb4, p[6 * 8]);
        assertEquals((byte) 0x95, p[7 * 8]);
    }

    @Test
    void fullySpecifiedRuleChecksTypeMajorMinorAndJumpsPastItsVerdict() {
        byte[] p = DeviceProgram.build(List.of(new DeviceRule(true, DeviceType.CHAR, 1, 3, "rwm")));
        // prelude (6), JNE type, JNE major, JNE minor, MOV 1, EXIT, default (2)
        assertEquals(13 * 8, p.length);
        int first = 6 * 8;
        assertEquals((byte) 0x55, p[first]);
        assertEquals(4, p[first + 2]); // skips the two other checks, MOV and EXIT
        assertEquals(2, p[first + 4]); // BPF_DEVCG_DEV_CHAR
        assertEquals(1, p[first + 3 * 8 + 4]); // allow verdict
    }
}
