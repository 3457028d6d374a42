package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.ProcessSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The plain data a device request turns into, in the shape of CDI's containerEdits: device nodes
 * with the cgroup rules that open them, mounts, environment (NAME=value, replacing an earlier value
 * of the same name) and host-side steps to run on the mounted root before the container starts.
 */
public record FlagEdits(List<DeviceNode> devices, List<DeviceRule> deviceRules, List<Mount> mounts, List<String> env,
                             List<Consumer<Path>> beforeStartSteps) implements SpecEdit {

    public FlagEdits {
        devices = List.copyOf(devices);
        deviceRules = List.copyOf(deviceRules);
        mounts = List.copyOf(mounts);
        env = List.copyOf(env);
        beforeStartSteps = List.copyOf(beforeStartSteps);
    }

    public static FlagEdits ofMounts(List<Mount> mounts) {
        return new FlagEdits(List.of(), List.of(), mounts, List.of(), List.of());
    }

    public static FlagEdits ofDevices(List<DeviceNode> devices, List<DeviceRule> rules) {
        return new FlagEdits(devices, rules, List.of(), List.of(), List.of());
    }

    @Override
    public ContainerSpec applyTo(ContainerSpec spec) {
        List<DeviceNode> allDevices = new ArrayList<>();
        // A node the user names replaces a default one at the same path (--device /dev/null is legal).
        for (DeviceNode existing : spec.devices()) {
            if (devices.stream().noneMatch(d -> d.path().equals(existing.path()))) {
                allDevices.add(existing);
            }
        }
        allDevices.addAll(devices);
        List<DeviceRule> rules = new ArrayList<>(spec.resources().deviceRules());
        rules.addAll(deviceRules);
        List<Mount> allMounts = new ArrayList<>(spec.mounts());
        allMounts.addAll(mounts);
        CgroupResources resources = spec.resources().withDeviceRules(rules);
        ProcessSpec process = spec.process();
        if (!env.isEmpty()) {
            process = new ProcessSpec(process.args(), mergeEnv(process.env(), env), process.cwd(), process.user(), process.rlimits(),
                    process.init());
        }
        return spec.withDevices(allDevices).withResources(resources).withMounts(allMounts).withProcess(process);
    }

    @Override
    public void beforeStart(Path rootfs) {
        beforeStartSteps.forEach(step -> step.accept(rootfs));
    }

    /** Docker's environment merge: later entries replace earlier ones of the same name, first position kept. */
    static List<String> mergeEnv(List<String> base, List<String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String e : base) {
            merged.put(e.substring(0, Math.max(e.indexOf('='), 0)), e);
        }
        for (String e : overrides) {
            merged.put(e.substring(0, Math.max(e.indexOf('='), 0)), e);
        }
        return List.copyOf(merged.values());
    }
}
