package dev.nvjrun.driver.request;

import dev.nvjrun.driver.catalog.Capability;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a container asks for: which GPUs, which parts of the driver, and what the host must satisfy.
 *
 * @param selector         which GPUs
 * @param selectorOrigin   where the selector came from, for messages ("--gpus '…'", "NV_GPU", …)
 * @param capabilities     the driver capabilities
 * @param requirements     {@code NVIDIA_REQUIRE_*} requirements still to check (empty when disabled)
 * @param imageCudaVersion nvidia-docker 1.0's {@code com.nvidia.cuda.version} label still to check
 */
public record GpuRequest(GpuSelector selector, String selectorOrigin, Set<Capability> capabilities,
                         List<RequirementText> requirements, Optional<String> imageCudaVersion) {

    public static final String DRIVER_CAPABILITIES = "NVIDIA_DRIVER_CAPABILITIES";
    public static final String DISABLE_REQUIRE = "NVIDIA_DISABLE_REQUIRE";
    public static final String LABEL_VOLUMES_NEEDED = "com.nvidia.volumes.needed";
    public static final String LABEL_CUDA_VERSION = "com.nvidia.cuda.version";
    /** The default of NVIDIA_DRIVER_CAPABILITIES. */
    public static final Set<Capability> DEFAULT_CAPABILITIES = Set.of(Capability.UTILITY, Capability.COMPUTE);
    static final String DRIVER_VOLUME = "nvidia_driver";
    private static final String REQUIRE_PREFIX = "NVIDIA_REQUIRE_";
    private static final Logger LOG = LoggerFactory.getLogger(GpuRequest.class);

    public GpuRequest {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(selectorOrigin, "selectorOrigin");
        capabilities = Set.copyOf(capabilities);
        requirements = List.copyOf(requirements);
        Objects.requireNonNull(imageCudaVersion, "imageCudaVersion");
    }

    /** Not a GPU container. */
    public static GpuRequest none() {
        return new GpuRequest(GpuSelector.VOID, "no GPU request", DEFAULT_CAPABILITIES, List.of(), Optional.empty());
    }

    /**
     * nvidia-docker 1.0's plugin lists ({@code /docker/cli?dev=0+1}; null, empty or {@code *} for
     * every GPU) with the default capabilities and no requirements.
     */
    public static GpuRequest ofDeviceList(String dev) throws GpuRequestException {
        String origin = "dev='" + (dev == null ? "" : dev) + "'";
        return new GpuRequest(DeviceList.parse(dev, "dev="), origin, DEFAULT_CAPABILITIES, List.of(), Optional.empty());
    }

    /**
     * Combines every source into one request.
     *
     * <p>GPUs, first that is present wins: {@code --gpus}; {@code NV_GPU} (a blank value counts as
     * unset, as in 1.0 where it meant every GPU); the user's {@code -e NVIDIA_VISIBLE_DEVICES}; the
     * image's; {@code all} for a legacy CUDA image ({@code CUDA_VERSION} without
     * {@code NVIDIA_REQUIRE_CUDA}) or an image labelled {@code com.nvidia.volumes.needed}; otherwise
     * not a GPU container.
     *
     * <p>Capabilities: {@code --gpus capabilities=}; the user's {@code -e NVIDIA_DRIVER_CAPABILITIES};
     * the image's (unknown names there are skipped with a warning, for images made for newer
     * drivers); {@code all} for a legacy or labelled image; otherwise {@code utility,compute}. An
     * empty value counts as unset.
     *
     * <p>Requirements: every {@code NVIDIA_REQUIRE_*} of the image's and the user's environment
     * merged (the user's value wins per name), {@code cuda>=X.Y} for a legacy image, and the
     * {@code com.nvidia.cuda.version} label; none of them when {@code NVIDIA_DISABLE_REQUIRE} is true.
     */
    public static GpuRequest from(RequestSources sources) throws GpuRequestException {
        Map<String, String> env = new HashMap<>(sources.imageEnv());
        env.putAll(sources.userEnv());
        boolean legacy = !env.getOrDefault("CUDA_VERSION", "").isEmpty()
                && env.getOrDefault("NVIDIA_REQUIRE_CUDA", "").isEmpty();
        boolean labelled = volumesNeeded(sources.imageLabels());

        GpusFlag flag = null;
        GpuSelector selector;
        String origin;
        if (sources.gpusFlag().isPresent()) {
            flag = GpusFlag.parse(sources.gpusFlag().get());
            selector = flag.selector();
            origin = "--gpus '" + sources.gpusFlag().get() + "'";
            sources.nvGpu().filter(v -> !v.isBlank()).ifPresent(v ->
                    LOG.warn("NV_GPU={} is ignored because --gpus was given", v));
        } else if (sources.nvGpu().filter(v -> !v.isBlank()).isPresent()) {
            origin = "NV_GPU";
            selector = DeviceList.parse(sources.nvGpu().get(), origin);
        } else if (sources.userEnv().containsKey(VisibleDevices.VARIABLE)) {
            origin = "-e " + VisibleDevices.VARIABLE;
            selector = VisibleDevices.parse(sources.userEnv().get(VisibleDevices.VARIABLE), origin);
        } else if (sources.imageEnv().containsKey(VisibleDevices.VARIABLE)) {
            origin = "the image's " + VisibleDevices.VARIABLE;
            selector = VisibleDevices.parse(sources.imageEnv().get(VisibleDevices.VARIABLE), origin);
        } else if (legacy) {
            origin = "a legacy CUDA image (CUDA_VERSION without NVIDIA_REQUIRE_CUDA)";
            selector = GpuSelector.ALL;
        } else if (labelled) {
            origin = "the image label " + LABEL_VOLUMES_NEEDED;
            selector = GpuSelector.ALL;
        } else {
            return none();
        }

        Set<Capability> capabilities = capabilities(flag, sources, legacy || labelled);
        boolean disabled = parseBool(env.getOrDefault(DISABLE_REQUIRE, ""));
        List<RequirementText> requirements = new ArrayList<>();
        Optional<String> cudaLabel = Optional.empty();
        if (!disabled) {
            for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
                if (e.getKey().startsWith(REQUIRE_PREFIX) && !e.getKey().startsWith("NVIDIA_REQUIRE_JETPACK")) {
                    requirements.add(new RequirementText(e.getKey(), e.getValue()));
                }
            }
            if (legacy) {
                requirements.add(new RequirementText("CUDA_VERSION", "cuda>=" + legacyCudaVersion(env.get("CUDA_VERSION"))));
            }
            cudaLabel = Optional.ofNullable(sources.imageLabels().get(LABEL_CUDA_VERSION)).filter(v -> !v.isBlank());
        }
        return new GpuRequest(selector, origin, capabilities, requirements, cudaLabel);
    }

    /** Whether the container gets anything at all. */
    public boolean isGpuContainer() {
        return !(selector instanceof GpuSelector.Void);
    }

    private static Set<Capability> capabilities(GpusFlag flag, RequestSources sources, boolean legacy)
            throws GpuRequestException {
        if (flag != null && flag.capabilities().isPresent()) {
            return flag.capabilities().get();
        }
        String user = sources.userEnv().getOrDefault(DRIVER_CAPABILITIES, "");
        if (!user.isBlank()) {
            return parseCapabilities(user, "-e " + DRIVER_CAPABILITIES, true);
        }
        String image = sources.imageEnv().getOrDefault(DRIVER_CAPABILITIES, "");
        if (!image.isBlank()) {
            return parseCapabilities(image, "the image's " + DRIVER_CAPABILITIES, false);
        }
        return legacy ? EnumSet.allOf(Capability.class) : DEFAULT_CAPABILITIES;
    }

    /** Parses NVIDIA_DRIVER_CAPABILITIES; strict for the user's value, lenient for an image's. */
    static Set<Capability> parseCapabilities(String value, String origin, boolean strict) throws GpuRequestException {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        for (String raw : value.split(",")) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                out.addAll(Capability.parse(name));
            } catch (IllegalArgumentException e) {
                if (strict) {
                    throw new GpuRequestException("unknown driver capability '" + raw.strip() + "' in " + origin + "='"
                            + value + "': use a comma-separated list of utility, compute, video, graphics, display,"
                            + " ngx, compat32, or all");
                }
                LOG.warn("skipping unknown driver capability '{}' in {}", raw.strip(), origin);
            }
        }
        return out.isEmpty() ? DEFAULT_CAPABILITIES : out;
    }

    private static boolean volumesNeeded(Map<String, String> labels) throws GpuRequestException {
        String value = labels.get(LABEL_VOLUMES_NEEDED);
        if (value == null || value.isBlank()) {
            return false;
        }
        for (String name : value.strip().split("\\s+")) {
            if (!name.equals(DRIVER_VOLUME)) {
                throw new GpuRequestException("the image label " + LABEL_VOLUMES_NEEDED + "='" + value
                        + "' asks for volume '" + name + "', which nvjrun does not serve: only " + DRIVER_VOLUME
                        + " exists, so rebuild the image with that label");
            }
        }
        return true;
    }

    /** "12.4.1" → "12.4", as the NVIDIA runtime derives a legacy image's requirement. */
    private static String legacyCudaVersion(String cudaVersion) throws GpuRequestException {
        var m = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)*").matcher(cudaVersion.strip());
        if (!m.matches()) {
            throw new GpuRequestException("malformed CUDA_VERSION '" + cudaVersion
                    + "' in a legacy CUDA image: it should read like 12.4.1; set NVIDIA_REQUIRE_CUDA or"
                    + " NVIDIA_DISABLE_REQUIRE=true to stop nvjrun deriving a requirement from it");
        }
        return m.group(1) + "." + m.group(2);
    }

    /** Go's strconv.ParseBool, which the NVIDIA runtime uses; anything else is false. */
    private static boolean parseBool(String value) {
        return switch (value.strip()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }
}
