package dev.nvjrun.driver.edits;

import dev.nvjrun.driver.devices.DeviceNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a GPU request adds to a container, as plain data for runtime-core and for Docker.
 *
 * @param devices       device nodes to create in the container's /dev and allow in its device
 *                      cgroup, with the host's numbers; nothing else of the NVIDIA majors
 * @param mounts        bind mounts and the driver volume, in mount order
 * @param symlinks      links to create after the mounts
 * @param environment   variables to set (they replace the container's values)
 * @param pathAdditions directories to append to PATH
 * @param files         files to write (the ld.so.conf.d entry)
 * @param ldconfig      the host ldconfig to run over the container's root, when it has one
 */
public record ContainerEdits(List<DeviceNode> devices, List<Mount> mounts, List<Symlink> symlinks,
                             Map<String, String> environment, List<String> pathAdditions, List<ContainerFile> files,
                             Optional<LdconfigRun> ldconfig) {

    /** PATH when the container sets none, as Docker and runc default it. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ContainerEdits {
        devices = List.copyOf(devices);
        mounts = List.copyOf(mounts);
        symlinks = List.copyOf(symlinks);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        pathAdditions = List.copyOf(pathAdditions);
        files = List.copyOf(files);
        Objects.requireNonNull(ldconfig, "ldconfig");
    }

    /** Nothing: the edits of a container that is not a GPU container. */
    public static ContainerEdits none() {
        return new ContainerEdits(List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), Optional.empty());
    }

    public boolean isEmpty() {
        return devices.isEmpty() && mounts.isEmpty() && environment.isEmpty() && files.isEmpty();
    }

    /** The container's environment with these edits applied: variables set, PATH extended once. */
    public Map<String, String> applyTo(Map<String, String> containerEnvironment) {
        Map<String, String> out = new LinkedHashMap<>(containerEnvironment);
        out.putAll(environment);
        if (!pathAdditions.isEmpty()) {
            List<String> path = new ArrayList<>(List.of(out.getOrDefault("PATH", DEFAULT_PATH).split(":", -1)));
            for (String dir : pathAdditions) {
                if (!path.contains(dir)) {
                    path.add(dir);
                }
            }
            out.put("PATH", String.join(":", path));
        }
        return out;
    }
}
