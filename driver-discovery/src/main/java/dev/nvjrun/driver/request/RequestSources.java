package dev.nvjrun.driver.request;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a GPU request can come from. {@link GpuRequest#from} documents which one wins.
 *
 * @param gpusFlag    Docker's {@code --gpus} value given to nvjrun, if any
 * @param nvGpu       nvidia-docker 1.0's {@code NV_GPU} from the user's environment, if set
 * @param userEnv     the container environment the user gave ({@code -e}, {@code --env-file})
 * @param imageEnv    the image's configured environment
 * @param imageLabels the image's labels
 */
public record RequestSources(Optional<String> gpusFlag, Optional<String> nvGpu, Map<String, String> userEnv,
                             Map<String, String> imageEnv, Map<String, String> imageLabels) {

    public RequestSources {
        Objects.requireNonNull(gpusFlag, "gpusFlag");
        Objects.requireNonNull(nvGpu, "nvGpu");
        userEnv = Map.copyOf(userEnv);
        imageEnv = Map.copyOf(imageEnv);
        imageLabels = Map.copyOf(imageLabels);
    }

    /** No request at all. */
    public static RequestSources none() {
        return new RequestSources(Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of());
    }

    /** Just a {@code --gpus} value (the plugin's {@code ?gpus=}). */
    public static RequestSources ofGpusFlag(String value) {
        return none().withGpusFlag(value);
    }

    public RequestSources withGpusFlag(String value) {
        return new RequestSources(Optional.of(value), nvGpu, userEnv, imageEnv, imageLabels);
    }

    public RequestSources withNvGpu(String value) {
        return new RequestSources(gpusFlag, Optional.of(value), userEnv, imageEnv, imageLabels);
    }

    public RequestSources withUserEnv(Map<String, String> env) {
        return new RequestSources(gpusFlag, nvGpu, env, imageEnv, imageLabels);
    }

    public RequestSources withImageEnv(Map<String, String> env) {
        return new RequestSources(gpusFlag, nvGpu, userEnv, env, imageLabels);
    }

    public RequestSources withImageLabels(Map<String, String> labels) {
        return new RequestSources(gpusFlag, nvGpu, userEnv, imageEnv, labels);
    }
}
