package dev.nvjrun.driver.request;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The links between the host's GPUs, by NVML index, as the caller reads them from NVML
 * (nvmlDeviceGetTopologyCommonAncestor, NVLink state). Pairs not given are {@link LinkKind#UNKNOWN}.
 */
public final class P2pTopology {

    /** One link between two GPUs; the order of a and b does not matter. */
    public record Link(int a, int b, LinkKind kind) {
    }

    private final Map<Long, LinkKind> links = new HashMap<>();

    public P2pTopology(List<Link> links) {
        for (Link link : links) {
            this.links.put(key(link.a(), link.b()), link.kind());
        }
    }

    /** No topology known: every set of GPUs is as good as another, so the lowest indexes win. */
    public static P2pTopology unknown() {
        return new P2pTopology(List.of());
    }

    /**
     * From a square matrix of NVML topology levels (row and column are GPU indexes) and an
     * optional matrix saying which pairs share NVLink (null when unknown).
     */
    public static P2pTopology ofNvml(int[][] levels, boolean[][] nvlink) {
        List<Link> out = new java.util.ArrayList<>();
        for (int a = 0; a < levels.length; a++) {
            for (int b = a + 1; b < levels[a].length; b++) {
                boolean nv = nvlink != null && a < nvlink.length && b < nvlink[a].length && nvlink[a][b];
                out.add(new Link(a, b, nv ? LinkKind.NVLINK : LinkKind.ofNvmlLevel(levels[a][b])));
            }
        }
        return new P2pTopology(out);
    }

    public LinkKind link(int a, int b) {
        return links.getOrDefault(key(a, b), LinkKind.UNKNOWN);
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
