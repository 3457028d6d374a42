package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.ContainerNetworks;
import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.store.StoreLayout;

/** {@code rm} and {@code container prune}: the runtime's state and cgroups, then the root file system. */
record ContainerRemoval(StoreLayout layout, ContainerRuntime runtime) {

    void remove(String ref, boolean force) {
        ContainerState state = runtime.inspect(ref);
        runtime.delete(state.id(), force);
        ContainerNetworks.forRoot(layout.root()).release(state);
        removeRootfs(state);
    }

    void removeRootfs(ContainerState state) {
        ContainerRootfs rootfs = ContainerRootfs.of(layout, state.spec().rootfs());
        if (rootfs != null) {
            rootfs.remove(layout);
        }
    }

    /** After a self-removing container ({@code run -d --rm}) has gone, its root file system goes too. */
    void removeRootfsIfGone(ContainerState state) {
        try {
            runtime.inspect(state.id());
        } catch (ContainerException gone) {
            ContainerNetworks.forRoot(layout.root()).release(state);
            removeRootfs(state);
        }
    }

    /** Root file systems left by self-removing containers and killed commands. */
    void removeUnusedRootfs() {
        ContainerRootfs.removeUnused(layout, runtime.list().stream().map(s -> s.spec().rootfs()).toList());
        ContainerNetworks.forRoot(layout.root()).reap(runtime);
    }
}
