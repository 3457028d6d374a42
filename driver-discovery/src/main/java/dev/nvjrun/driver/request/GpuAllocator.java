package dev.nvjrun.driver.request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Picks GPUs for a count request: only GPUs that no running container holds, and among the sets of
 * that size the one whose GPUs are linked best (lowest sum of pairwise link costs; ties go to the
 * lowest indexes).
 */
public final class GpuAllocator {

    /** Beyond this many candidate sets the allocator grows a set greedily instead of trying all. */
    private static final long EXHAUSTIVE_LIMIT = 200_000;

    private final HostGpus host;
    private final P2pTopology topology;

    public GpuAllocator(HostGpus host, P2pTopology topology) {
        this.host = host;
        this.topology = topology;
    }

    /**
     * @param heldBy the GPUs running containers hold: GPU UUID → container name
     * @return {@code count} free GPUs in index order
     */
    public List<HostGpu> pick(int count, Map<String, String> heldBy) throws GpuRequestException {
        List<HostGpu> all = host.gpus();
        if (count > all.size()) {
            throw new GpuRequestException("cannot give " + count + " GPUs: this host (" + host.driver().describe()
                    + ") has " + all.size() + ", so ask for at most " + all.size());
        }
        List<HostGpu> free = all.stream().filter(g -> !heldBy.containsKey(g.uuid())).toList();
        if (count > free.size()) {
            String held = all.stream().filter(g -> heldBy.containsKey(g.uuid()))
                    .map(g -> g.index() + " by " + heldBy.get(g.uuid())).collect(Collectors.joining(", "));
            throw new GpuRequestException("cannot give " + count + " GPUs: only " + free.size() + " of this host's "
                    + all.size() + " are free (held: " + held + "; see nvjrun gpu ps), so ask for fewer, stop one of"
                    + " those containers, or name GPUs with --gpus device=ID to share them");
        }
        if (count == 0) {
            return List.of();
        }
        return combinations(free.size(), count) <= EXHAUSTIVE_LIMIT ? bestOfAll(free, count) : greedy(free, count);
    }

    private List<HostGpu> bestOfAll(List<HostGpu> free, int count) {
        int[] chosen = new int[count];
        int[] best = null;
        long bestCost = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            chosen[i] = i;
        }
        while (true) {
            List<HostGpu> set = new ArrayList<>(count);
            for (int i : chosen) {
                set.add(free.get(i));
            }
            long cost = pairCost(set);
            if (cost < bestCost) {
                bestCost = cost;
                best = chosen.clone();
            }
            int i = count - 1;
            while (i >= 0 && chosen[i] == free.size() - count + i) {
                i--;
            }
            if (i < 0) {
                break;
            }
            chosen[i]++;
            for (int j = i + 1; j < count; j++) {
                chosen[j] = chosen[j - 1] + 1;
            }
        }
        List<HostGpu> out = new ArrayList<>();
        for (int i : best) {
            out.add(free.get(i));
        }
        return out;
    }

    private List<HostGpu> greedy(List<HostGpu> free, int count) {
        List<HostGpu> best = null;
        long bestCost = Long.MAX_VALUE;
        for (HostGpu start : free) {
            List<HostGpu> set = new ArrayList<>(List.of(start));
            while (set.size() < count) {
                HostGpu next = null;
                long nextCost = Long.MAX_VALUE;
                for (HostGpu candidate : free) {
                    if (set.contains(candidate)) {
                        continue;
                    }
                    long c = set.stream().mapToLong(g -> topology.link(g.index(), candidate.index()).cost()).sum();
                    if (c < nextCost) {
                        nextCost = c;
                        next = candidate;
                    }
                }
                set.add(next);
            }
            set.sort(Comparator.comparingInt(HostGpu::index));
            long c = pairCost(set);
            if (c < bestCost) {
                bestCost = c;
                best = set;
            }
        }
        return best;
    }

    private long pairCost(List<HostGpu> set) {
        long sum = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int j = i + 1; j < set.size(); j++) {
                sum += topology.link(set.get(i).index(), set.get(j).index()).cost();
            }
        }
        return sum;
    }

    private static long combinations(int n, int k) {
        long c = 1;
        for (int i = 0; i < k; i++) {
            c = c * (n - i) / (i + 1);
            if (c > EXHAUSTIVE_LIMIT) {
                return c;
            }
        }
        return c;
    }
}
