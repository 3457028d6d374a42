package dev.nvjrun.driver.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates {@code NVIDIA_REQUIRE_*} requirements as libnvidia-container does: every requirement
 * against every selected GPU (the driver conditions once when no GPU is selected); within one
 * requirement, spaces separate alternatives and commas join conditions.
 */
public final class RequirementCheck {

    private final HostDriver driver;

    public RequirementCheck(HostDriver driver) {
        this.driver = driver;
    }

    /** Parses one requirement into its alternatives, each a list of conditions that must all hold. */
    public List<List<Condition>> parse(RequirementText requirement) throws GpuRequestException {
        List<List<Condition>> alternatives = new ArrayList<>();
        for (String alternative : requirement.expression().strip().split(" +")) {
            List<Condition> all = new ArrayList<>();
            for (String text : alternative.split(",")) {
                if (text.isEmpty()) {
                    continue;
                }
                all.add(Condition.parse(text).orElseThrow(() -> new GpuRequestException("malformed condition '" + text
                        + "' in " + requirement.source() + "='" + requirement.expression() + "' (this host has "
                        + driver.describe() + "): write conditions such as cuda>=12.4, driver>=535, arch>=8.0 or"
                        + " brand=tesla, joined by commas (and) or spaces (or), with =, !=, <, <=, > or >=")));
            }
            if (!all.isEmpty()) {
                alternatives.add(all);
            }
        }
        return alternatives;
    }

    /** Throws when a requirement does not hold for the selected GPUs (whole GPUs or MIG parents). */
    public void verify(List<RequirementText> requirements, List<HostGpu> selected) throws GpuRequestException {
        for (RequirementText requirement : requirements) {
            List<List<Condition>> alternatives = parse(requirement);
            List<Optional<HostGpu>> subjects = selected.isEmpty()
                    ? List.of(Optional.empty()) : selected.stream().map(Optional::of).toList();
            for (Optional<HostGpu> gpu : subjects) {
                if (!alternatives.isEmpty() && alternatives.stream().noneMatch(all -> holdsAll(all, gpu))) {
                    Condition failed = alternatives.getFirst().stream()
                            .filter(c -> !c.holds(driver, gpu)).findFirst().orElseThrow();
                    throw new GpuRequestException(unsatisfied(requirement, failed, gpu));
                }
            }
        }
    }

    private boolean holdsAll(List<Condition> conditions, Optional<HostGpu> gpu) {
        return conditions.stream().allMatch(c -> c.holds(driver, gpu));
    }

    private String unsatisfied(RequirementText requirement, Condition failed, Optional<HostGpu> gpu) {
        String head = "unsatisfied condition " + failed + " of " + requirement.source() + "='"
                + requirement.expression() + "': ";
        String skip = ", or set NVIDIA_DISABLE_REQUIRE=true to skip the check";
        return switch (failed.subject()) {
            case CUDA -> head + "this host has " + driver.describe() + "; install a driver whose CUDA version"
                    + " satisfies " + failed + " or run an image built for CUDA " + driver.cudaVersion() + " or older" + skip;
            case DRIVER -> head + "this host has " + driver.describe() + "; install a driver whose version satisfies "
                    + failed + skip;
            case ARCH -> head + gpuName(gpu) + " has compute capability " + gpu.orElseThrow().computeCapability()
                    + " (host " + driver.describe() + "); select GPUs whose compute capability satisfies " + failed + skip;
            case BRAND -> head + gpuName(gpu) + " is of brand " + gpu.orElseThrow().brand()
                    + " (host " + driver.describe() + "); select GPUs whose brand satisfies " + failed + skip;
        };
    }

    private static String gpuName(Optional<HostGpu> gpu) {
        return gpu.map(g -> "GPU " + g.index() + " (" + g.uuid() + ")").orElse("no GPU");
    }
}
