package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.seccomp.SeccompCompiler;
import dev.nvjrun.runtime.seccomp.SeccompProfile;
import dev.nvjrun.runtime.spec.Capability;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DockerDefaultsTest {

    @Test
    void theSeccompProgramIsTheOneCompiledForTheCapabilitiesAsked() {
        Set<Capability> admin = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
        admin.add(Capability.SYS_ADMIN);
        byte[] forDefault = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT);
        byte[] forAdmin = SeccompCompiler.compile(SeccompProfile.dockerDefault(), admin);

        // the default program is compiled once per process: asked twice, it is the same, and so is the other one
        assertArrayEquals(forDefault, DockerDefaults.security(Capability.DOCKER_DEFAULT, false, false).seccompFilter());
        assertArrayEquals(forDefault, DockerDefaults.security(EnumSet.copyOf(Capability.DOCKER_DEFAULT), false, true).seccompFilter());
        assertArrayEquals(forAdmin, DockerDefaults.security(admin, false, false).seccompFilter());
        assertFalse(java.util.Arrays.equals(forDefault, forAdmin), "SYS_ADMIN unlocks calls, so its program differs");
        assertEquals(0, DockerDefaults.security(Capability.DOCKER_DEFAULT, true, false).seccompFilter().length);
    }

    @Test
    void aSpecCannotChangeTheProgramOfTheNext() {
        byte[] first = DockerDefaults.security(Capability.DOCKER_DEFAULT, false, false).seccompFilter();
        byte[] copy = first.clone();
        first[0] ^= 0x7f;
        assertArrayEquals(copy, DockerDefaults.security(Capability.DOCKER_DEFAULT, false, false).seccompFilter());
    }
}
