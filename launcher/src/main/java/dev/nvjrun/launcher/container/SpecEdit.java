package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.spec.ContainerSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * One change the launcher makes to a container spec on the user's behalf: {@code -v}, {@code --device},
 * {@code --tmpfs} today, {@code --gpus} and CDI devices next. Edits are applied in order to the
 * immutable spec; {@link #beforeStart} runs on the host once the container's root file system is
 * mounted and before the container is created (for example the host's ldconfig on that root).
 */
public interface SpecEdit {

    ContainerSpec applyTo(ContainerSpec spec);

    default void beforeStart(Path rootfs) {
    }

    /** This edit for the resolved image; an edit that reads the image's env or labels (--gpus) binds them here. */
    default SpecEdit forImage(ImageConfig image) {
        return this;
    }

    /** Container labels this edit records, read after {@link #applyTo} (the GPUs a container holds). */
    default Map<String, String> labels() {
        return Map.of();
    }

    /**
     * The runtime has recorded the container, or its creation failed: an edit lets go of what it held
     * since {@link #applyTo} (the lock on choosing GPUs). Called at least once; must tolerate more.
     */
    default void creationEnded() {
    }
}
