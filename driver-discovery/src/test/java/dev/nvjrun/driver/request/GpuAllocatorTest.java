package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A 4-GPU host shaped like a DGX quarter: 0-1 and 2-3 share NVLink, 0-2 and 1-3 a PCIe switch,
 * 0-3 and 1-2 only the system interconnect.
 */
class GpuAllocatorTest {

    private static final HostDriver DRIVER = new HostDriver("550.54.15", "12.4");
    private static final HostGpus HOST = new HostGpus(DRIVER,
            IntStream.range(0, 4).mapToObj(i -> HostGpu.of(i, "GPU-" + i, i)).toList());
    private static final P2pTopology TOPOLOGY = new P2pTopology(List.of(
            new P2pTopology.Link(0, 1, LinkKind.NVLINK), new P2pTopology.Link(2, 3, LinkKind.NVLINK),
            new P2pTopology.Link(0, 2, LinkKind.PCIE_SWITCH), new P2pTopology.Link(1, 3, LinkKind.PCIE_SWITCH),
            new P2pTopology.Link(0, 3, LinkKind.SYSTEM), new P2pTopology.Link(1, 2, LinkKind.SYSTEM)));

    private final GpuAllocator allocator = new GpuAllocator(HOST, TOPOLOGY);

    private List<Integer> pick(int count, Map<String, String> held) throws GpuRequestException {
        return allocator.pick(count, held).stream().map(HostGpu::index).toList();
    }

    @Test
    void picksAnNvlinkPairForTwo() throws Exception {
        assertEquals(List.of(0, 1), pick(2, Map.of()));
    }

    @Test
    void picksTheOtherNvlinkPairWhenOneGpuIsHeld() throws Exception {
        assertEquals(List.of(2, 3), pick(2, Map.of("GPU-0", "web")));
    }

    @Test
    void picksTheBestRemainingLinkWhenBothPairsAreBroken() throws Exception {
        assertEquals(List.of(1, 3), pick(2, Map.of("GPU-0", "a", "GPU-2", "b")));
    }

    @Test
    void picksTheBestLinkedThree() throws Exception {
        // {0,1,2}: NVLink + switch + system = 0+2+6; {0,1,3}: 0+6+2; {0,2,3}: 2+6+0 — all 8: lowest indexes win.
        assertEquals(List.of(0, 1, 2), pick(3, Map.of()));
    }

    @Test
    void picksTheLowestFreeGpuForOne() throws Exception {
        assertEquals(List.of(1), pick(1, Map.of("GPU-0", "a")));
    }

    @Test
    void withoutTopologyTakesTheLowestIndexes() throws Exception {
        assertEquals(List.of(0, 1, 2), new GpuAllocator(HOST, P2pTopology.unknown()).pick(3, Map.of())
                .stream().map(HostGpu::index).toList());
    }

    @Test
    void zeroGpusIsNothing() throws Exception {
        assertEquals(List.of(), pick(0, Map.of()));
    }

    @Test
    void refusesWhenTooFewAreFreeNamingTheHolders() {
        String message = assertThrows(GpuRequestException.class,
                () -> pick(3, Map.of("GPU-1", "train", "GPU-3", "eval"))).getMessage();
        assertTrue(message.contains("only 2 of this host's 4 are free"), message);
        assertTrue(message.contains("1 by train") && message.contains("3 by eval"), message);
        assertTrue(message.contains("nvjrun gpu ps"), message);
    }

    @Test
    void refusesMoreThanTheHostHas() {
        String message = assertThrows(GpuRequestException.class, () -> pick(5, Map.of())).getMessage();
        assertTrue(message.contains("has 4, so ask for at most 4"), message);
    }

    @Test
    void readsNvmlTopologyLevels() {
        P2pTopology t = P2pTopology.ofNvml(new int[][] {{0, 10, 50}, {10, 0, 50}, {50, 50, 0}},
                new boolean[][] {{false, false, false}, {false, false, true}, {false, true, false}});
        assertEquals(LinkKind.PCIE_SWITCH, t.link(1, 0));
        assertEquals(LinkKind.NVLINK, t.link(1, 2));
        assertEquals(LinkKind.SYSTEM, t.link(0, 2));
        assertEquals(LinkKind.UNKNOWN, t.link(0, 7));
    }

    @Test
    void findsAnNvlinkCliqueOnAHostTooLargeToTryEverySet() throws Exception {
        // 40 GPUs in 5 NVLink islands of 8; everything else across the system. C(40,8) sets: greedy path.
        List<P2pTopology.Link> links = new ArrayList<>();
        for (int a = 0; a < 40; a++) {
            for (int b = a + 1; b < 40; b++) {
                links.add(new P2pTopology.Link(a, b, a / 8 == b / 8 ? LinkKind.NVLINK : LinkKind.SYSTEM));
            }
        }
        HostGpus big = new HostGpus(DRIVER, IntStream.range(0, 40).mapToObj(i -> HostGpu.of(i, "GPU-" + i, i)).toList());
        List<Integer> picked = new GpuAllocator(big, new P2pTopology(links)).pick(8, Map.of("GPU-3", "x"))
                .stream().map(HostGpu::index).toList();
        assertEquals(IntStream.range(8, 16).boxed().toList(), picked);
    }
}
