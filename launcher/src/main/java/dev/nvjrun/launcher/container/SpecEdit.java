package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.spec.ContainerSpec;

import java.nio.file.Path;

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
}
