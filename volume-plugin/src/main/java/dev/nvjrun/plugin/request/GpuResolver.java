package dev.nvjrun.plugin.request;

import dev.nvjrun.plugin.host.Gpu;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns a {@link GpuSelector} into the host's GPUs. */
public final class GpuResolver {

    private GpuResolver() {
    }

    /**
     * The selected GPUs, in the order asked for.
     *
     * @throws BadRequestException when an id matches no GPU or several, or a count exceeds the host's GPUs
     */
    public static List<Gpu> resolve(GpuSelector selector, List<Gpu> gpus) throws BadRequestException {
        return switch (selector) {
            case GpuSelector.All all -> gpus;
            case GpuSelector.Count(int count) -> {
                if (count > gpus.size()) {
                    throw new BadRequestException("requested " + count + " GPUs but this host has " + gpus.size()
                            + ": ask for at most " + gpus.size());
                }
                yield gpus.subList(0, count);
            }
            case GpuSelector.Devices(List<String> ids) -> {
                Set<Gpu> chosen = new LinkedHashSet<>();
                for (String id : ids) {
                    chosen.add(find(id, gpus));
                }
                yield new ArrayList<>(chosen);
            }
        };
    }

    /** One GPU by index or UUID prefix. */
    public static Gpu find(String id, List<Gpu> gpus) throws BadRequestException {
        if (!id.isEmpty() && id.chars().allMatch(Character::isDigit)) {
            for (Gpu gpu : gpus) {
                if (String.valueOf(gpu.index()).equals(stripLeadingZeros(id))) {
                    return gpu;
                }
            }
            throw new BadRequestException("unknown device " + id + ": this host has GPUs 0 to " + (gpus.size() - 1));
        }
        List<Gpu> matches = gpus.stream().filter(g -> !id.isEmpty() && g.uuid().startsWith(id)).toList();
        if (matches.isEmpty()) {
            throw new BadRequestException("unknown device " + id + ": no GPU index or UUID matches it");
        }
        if (matches.size() > 1) {
            throw new BadRequestException("ambiguous device " + id + ": it is a prefix of " + matches.size()
                    + " GPU UUIDs, give more of the UUID");
        }
        return matches.getFirst();
    }

    private static String stripLeadingZeros(String digits) {
        return digits.replaceFirst("^0+(?=.)", "");
    }
}
