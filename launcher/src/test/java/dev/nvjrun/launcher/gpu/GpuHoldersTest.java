package dev.nvjrun.launcher.gpu;

import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GpuHoldersTest {

    private static ContainerState container(String name, ContainerStatus status, Map<String, String> labels) {
        return new ContainerState(name.repeat(12).substring(0, 12) + "0".repeat(52), name, status, 0, 0, null, false, null,
                null, null, null, labels, null, 10, false, null, null);
    }

    @Test
    void runningAndCreatedContainersHoldTheirGpusButExitedOnesDoNot() {
        GpuHolders holders = GpuHolders.of(List.of(
                container("a", ContainerStatus.RUNNING, Map.of(GpuHolders.LABEL, "GPU-1,GPU-2")),
                container("b", ContainerStatus.CREATED, Map.of(GpuHolders.LABEL, "GPU-3")),
                container("c", ContainerStatus.EXITED, Map.of(GpuHolders.LABEL, "GPU-4")),
                container("d", ContainerStatus.RUNNING, Map.of("other", "x"))));
        assertEquals(Map.of("GPU-1", "a", "GPU-2", "a", "GPU-3", "b"), holders.heldBy());
        assertEquals(3, holders.holders().size());
    }
}
