package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.ContainerNetworks;
import dev.nvjrun.launcher.network.NetworkPlan;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.CreateRequest;
import dev.nvjrun.runtime.container.LogConfig;
import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.snapshot.StorageDriver;
import dev.nvjrun.runtime.snapshot.WriteDurability;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.store.StoreLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code create} and the first half of {@code run}: flags checked, image found (or pulled), root file
 * system mounted, spec built. A failure at any step undoes the earlier ones, so nothing is half-made.
 */
final class ContainerCreation {
    private final StoreLayout layout;
    private final PhaseTimer timer;
    private final PrintStream progress;
    private final ContainerNetworks networks;

    ContainerCreation(StoreLayout layout, PhaseTimer timer, PrintStream progress) {
        this.layout = layout;
        this.timer = timer;
        this.progress = progress;
        this.networks = ContainerNetworks.forRoot(layout.root());
    }

    /** A container to hand to the runtime, with the root file system it owns and the edits that made its spec. */
    record Prepared(CreateRequest request, ContainerRootfs rootfs, NetworkPlan network, List<SpecEdit> edits) {

        /** The edits let go of what they hold until the container is recorded (the GPU choice). */
        void creationEnded() {
            edits.forEach(SpecEdit::creationEnded);
        }
    }

    /**
     * Resolves the image, mounts the root file system and computes the spec. {@code durability} is
     * {@link WriteDurability#VOLATILE} for a container removed when it exits, whose writes nobody reads back.
     * {@code rootfsMounted} runs once the image is here and its root file system mounted, when only the spec is left
     * to compute: from then on the container starts within milliseconds.
     */
    Prepared prepare(CreateOptions options, boolean autoRemove, WriteDurability durability, List<SpecEdit> editsForAnyImage,
                     Runnable rootfsMounted) {
        SpecFromFlags flags = new SpecFromFlags(options, System::getenv);
        LogConfig log = options.log.config();
        if (options.name != null && !options.name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("container name '" + options.name
                    + "' is invalid; use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        StorageDriver driver = StorageDriver.parse(options.storageDriver);
        ImageService images = new ImageService(layout);
        Image image = new ImageResolver(images, progress).resolve(options.image);
        timer.mark("image-resolve");
        List<SpecEdit> extraEdits = editsForAnyImage.stream().map(e -> e.forImage(image.config())).toList();
        ContainerRootfs rootfs = ContainerRootfs.create(layout, driver, images.layerPaths(image),
                new ContainerRootfs.Origin(options.image, image.id().toString(), options.tty), durability);
        timer.mark("snapshot-prepare-and-mount");
        rootfsMounted.run();
        try {
            ContainerSpec spec = flags.spec(image.config(), rootfs.mountPoint(), extraEdits);
            NetworkPlan network = networks.plan(flags.network(), image.config(), () -> ContainerRuntime.open(layout.root()));
            spec = network.applyTo(spec);
            createWorkingDirectory(rootfs.mountPoint(), spec.process().cwd());
            for (SpecEdit edit : flags.edits()) {
                edit.beforeStart(rootfs.mountPoint());
            }
            for (SpecEdit edit : extraEdits) {
                edit.beforeStart(rootfs.mountPoint());
            }
            int stopTimeout = options.stopTimeout == null ? 10 : options.stopTimeout;
            Map<String, String> labels = new LinkedHashMap<>(flags.labels());
            extraEdits.forEach(e -> labels.putAll(e.labels()));
            CreateRequest request = new CreateRequest(options.name, spec, labels, options.stopSignal, stopTimeout, autoRemove, log);
            timer.mark("spec");
            return new Prepared(request, rootfs, network, extraEdits);
        } catch (RuntimeException e) {
            extraEdits.forEach(SpecEdit::creationEnded);
            rootfs.remove(layout);
            throw e;
        }
    }

    /** {@code create}: the container exists, created, with its root file system mounted. */
    ContainerState create(ContainerRuntime runtime, CreateOptions options, boolean autoRemove, List<SpecEdit> extraEdits) {
        return create(runtime, options, autoRemove, extraEdits, () -> { });
    }

    /** {@link #create} with {@link #prepare}'s {@code rootfsMounted} hook, for a container that starts right after. */
    ContainerState create(ContainerRuntime runtime, CreateOptions options, boolean autoRemove, List<SpecEdit> extraEdits,
                          Runnable rootfsMounted) {
        WriteDurability durability = autoRemove ? WriteDurability.VOLATILE : WriteDurability.SYNCED;
        return createAndAttach(runtime, prepare(options, autoRemove, durability, extraEdits, rootfsMounted));
    }

    /** The container created and its network attached (bridge) or its /etc files written; all or nothing. */
    ContainerState createAndAttach(ContainerRuntime runtime, Prepared prepared) {
        ContainerState state;
        try {
            state = runtime.create(prepared.request());
            timer.mark("create");
        } catch (RuntimeException e) {
            prepared.rootfs().remove(layout);
            throw e;
        } finally {
            prepared.creationEnded(); // the state (with its GPU label) is written, or there is none
        }
        try {
            networks.attach(prepared.network(), state, runtime.etcDir(state.id()));
            timer.mark("network-attach");
            return state;
        } catch (RuntimeException e) {
            runtime.delete(state.id(), true);
            prepared.rootfs().remove(layout);
            throw e;
        }
    }

    /** Undoes what {@link #createAndAttach} and {@link #prepare} made for a container that is gone: its network, then its root file system. */
    void tearDown(ContainerState removed, Prepared prepared) {
        networks.release(removed);
        prepared.rootfs().remove(layout);
    }

    /**
     * Docker creates a missing working directory. Only real directories are walked, never a symbolic
     * link of the image, so this cannot create anything outside the container's root.
     */
    private static void createWorkingDirectory(Path rootfs, String cwd) {
        Path dir = rootfs;
        for (Path part : Path.of("/").relativize(Path.of(cwd).normalize())) {
            if (part.toString().isEmpty()) {
                continue;
            }
            dir = dir.resolve(part);
            if (Files.isSymbolicLink(dir) || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))) {
                return; // the helper resolves it inside the root and reports what is wrong
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot create the working directory " + cwd + " in the container: " + e.getMessage());
                }
            }
        }
    }
}
