package dev.nvjrun.launcher.container;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.Mount;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.launcher.gpu.ContainerGpus;
import dev.nvjrun.launcher.gpu.DriverFilesInRootfs;
import dev.nvjrun.launcher.gpu.GpuAssignment;
import dev.nvjrun.launcher.gpu.GpuChoiceLock;
import dev.nvjrun.launcher.gpu.GpuHolders;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code --gpus} and its relatives (NV_GPU, NVIDIA_* in the image or in -e, nvidia-docker 1.0's
 * labels) as a spec edit: the selected GPUs' device nodes, allowed in the device cgroup and nothing
 * else of the NVIDIA majors; the driver files read-only under /usr/local/nvidia; the environment;
 * the ld.so.conf.d entry and SONAME links, written before start; and the host's ldconfig, which the
 * helper runs over the container's root once the driver files are mounted.
 *
 * <p>One edit serves one container: {@link #applyTo} resolves the request and remembers the result
 * for {@link #labels} and {@link #beforeStart}. A count request looks at which GPUs other containers
 * hold; from then until {@link #creationEnded} the edit holds the {@link GpuChoiceLock}, so no other
 * creation chooses before this container's state records its GPUs.
 */
final class GpuEdit implements SpecEdit {

    private final RequestSources sources;
    private final ContainerGpus gpus;
    private final Supplier<Map<String, String>> heldBy;
    private final GpuChoiceLock choosing;
    private final List<String> imageEnv;
    private GpuAssignment assignment;

    GpuEdit(RequestSources sources, ContainerGpus gpus, Supplier<Map<String, String>> heldBy, GpuChoiceLock choosing) {
        this(sources, gpus, heldBy, choosing, List.of());
    }

    private GpuEdit(RequestSources sources, ContainerGpus gpus, Supplier<Map<String, String>> heldBy, GpuChoiceLock choosing,
                    List<String> imageEnv) {
        this.sources = sources;
        this.gpus = gpus;
        this.heldBy = heldBy;
        this.choosing = choosing;
        this.imageEnv = imageEnv;
    }

    @Override
    public SpecEdit forImage(ImageConfig image) {
        return new GpuEdit(sources.withImageEnv(toMap(image.env())).withImageLabels(image.labels()), gpus, heldBy, choosing, image.env());
    }

    @Override
    public ContainerSpec applyTo(ContainerSpec spec) {
        // What the user set is what the container's environment has beyond the image's own entries.
        Map<String, String> userEnv = toMap(spec.process().env().stream().filter(e -> !imageEnv.contains(e)).toList());
        Optional<GpuAssignment> given;
        try {
            given = gpus.assign(sources.withUserEnv(userEnv), () -> {
                choosing.acquire();
                return heldBy.get();
            });
        } catch (DriverDiscoveryException e) {
            choosing.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (given.isEmpty()) {
            return spec;
        }
        assignment = given.get();
        ContainerEdits edits = assignment.edits();
        List<DeviceNode> devices = new ArrayList<>();
        List<DeviceRule> rules = new ArrayList<>();
        for (var node : edits.devices()) {
            DeviceType type = node.type() == dev.nvjrun.driver.devices.DeviceType.BLOCK ? DeviceType.BLOCK : DeviceType.CHAR;
            DeviceNode device = new DeviceNode(node.path(), type, node.major(), node.minor(), node.mode() & 07777, 0, 0);
            devices.add(device);
            rules.add(device.allowRule());
        }
        List<dev.nvjrun.runtime.spec.Mount> mounts = new ArrayList<>();
        for (Mount mount : edits.mounts()) {
            switch (mount) {
                case Mount.Bind b -> mounts.add(dev.nvjrun.runtime.spec.Mount.bind(b.hostPath().toString(), b.containerPath(), b.readOnly()));
                case Mount.DriverVolume v -> mounts.add(dev.nvjrun.runtime.spec.Mount.bind(v.hostDirectory().toString(), v.containerPath(), true));
            }
        }
        List<String> env = edits.applyTo(toMap(spec.process().env())).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        return new FlagEdits(devices, rules, mounts, env, List.of()).applyTo(spec)
                .withLdconfig(new DriverFilesInRootfs(edits).ldconfigCommand(spec.rootfs()));
    }

    @Override
    public void creationEnded() {
        choosing.close();
    }

    @Override
    public Map<String, String> labels() {
        if (assignment == null || assignment.gpuUuids().isEmpty()) {
            return Map.of();
        }
        return Map.of(GpuHolders.LABEL, String.join(",", assignment.gpuUuids()));
    }

    @Override
    public void beforeStart(Path rootfs) {
        if (assignment != null) {
            new DriverFilesInRootfs(assignment.edits()).install(rootfs);
        }
    }

    private static Map<String, String> toMap(List<String> env) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            map.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return map;
    }
}
