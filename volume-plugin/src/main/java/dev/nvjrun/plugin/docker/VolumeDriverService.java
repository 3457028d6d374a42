package dev.nvjrun.plugin.docker;

import dev.nvjrun.plugin.host.VolumeFile;
import dev.nvjrun.plugin.volume.DriverVolume;
import dev.nvjrun.plugin.volume.InstalledVolume;
import dev.nvjrun.plugin.volume.VolumeException;
import dev.nvjrun.plugin.volume.VolumeName;
import dev.nvjrun.plugin.volume.VolumeStore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the Docker volume plugin calls do, free of HTTP: each returns Docker's response object as
 * a map, with the failure in {@code Err} (empty on success), never an exception.
 */
public final class VolumeDriverService {

    private final VolumeStore store;
    private final String driverVersion;
    private final Function<String, List<VolumeFile>> driverFiles;
    /** Docker volume name → caller ID → how many times that caller mounted it. */
    private final Map<String, Map<String, Integer>> mounts = new HashMap<>();

    /**
     * @param store         where the volumes live
     * @param driverVersion the running driver's version: the only one that can be created
     * @param driverFiles   the files of a volume, by volume name, from the host
     */
    public VolumeDriverService(VolumeStore store, String driverVersion, Function<String, List<VolumeFile>> driverFiles) {
        this.store = store;
        this.driverVersion = driverVersion;
        this.driverFiles = driverFiles;
    }

    public Map<String, Object> activate() {
        return Map.of("Implements", List.of("VolumeDriver"));
    }

    public Map<String, Object> capabilities() {
        return Map.of("Capabilities", Map.of("Scope", "local"));
    }

    public synchronized Map<String, Object> create(String name) {
        try {
            VolumeName volume = VolumeName.parse(name);
            if (!volume.version().equals(driverVersion)) {
                return err("invalid volume version: " + name + ": the running driver is " + driverVersion
                        + ", use " + volume.volume().dockerName(driverVersion));
            }
            build(volume.volume());
            return ok();
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
    }

    public synchronized Map<String, Object> remove(String name) {
        try {
            VolumeName volume = VolumeName.parse(name);
            int users = mounts.getOrDefault(name, Map.of()).size();
            if (users > 0) {
                return err("volume " + name + " is in use by " + users + " container(s): stop them before removing it");
            }
            store.remove(volume.volume(), volume.version());
            return ok();
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
    }

    public synchronized Map<String, Object> mount(String name, String id) {
        try {
            VolumeName volume = VolumeName.parse(name);
            Optional<InstalledVolume> installed = store.find(volume.volume(), volume.version());
            if (installed.isEmpty() && volume.version().equals(driverVersion)) {
                // Docker skips Create for volumes it already knows, so rebuild one removed behind its back.
                installed = Optional.of(build(volume.volume()));
            }
            if (installed.isEmpty()) {
                return err("no such volume: " + name + ": create it while driver " + volume.version() + " is running");
            }
            mounts.computeIfAbsent(name, n -> new HashMap<>()).merge(id == null ? "" : id, 1, Integer::sum);
            return mountpoint(installed.get());
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
    }

    public synchronized Map<String, Object> unmount(String name, String id) {
        try {
            VolumeName.parse(name);
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
        Map<String, Integer> byCaller = mounts.get(name);
        if (byCaller != null) {
            byCaller.computeIfPresent(id == null ? "" : id, (k, n) -> n > 1 ? n - 1 : null);
            if (byCaller.isEmpty()) {
                mounts.remove(name);
            }
        }
        return ok();
    }

    public synchronized Map<String, Object> path(String name) {
        return lookUp(name, this::mountpoint);
    }

    public synchronized Map<String, Object> get(String name) {
        return lookUp(name, v -> {
            Map<String, Object> volume = new LinkedHashMap<>();
            volume.put("Name", v.dockerName());
            volume.put("Mountpoint", v.path().toString());
            volume.put("Status", Map.of());
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("Volume", volume);
            response.put("Err", "");
            return response;
        });
    }

    public synchronized Map<String, Object> list() {
        try {
            List<Map<String, String>> volumes = store.list().stream()
                    .map(v -> Map.of("Name", v.dockerName(), "Mountpoint", v.path().toString())).toList();
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("Volumes", volumes);
            response.put("Err", "");
            return response;
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
    }

    /** How many mounts caller {@code id} holds on volume {@code name}. */
    public synchronized int mountCount(String name, String id) {
        return mounts.getOrDefault(name, Map.of()).getOrDefault(id, 0);
    }

    private InstalledVolume build(DriverVolume volume) throws VolumeException {
        return store.create(volume, driverVersion, driverFiles.apply(volume.name()));
    }

    private Map<String, Object> lookUp(String name, Function<InstalledVolume, Map<String, Object>> answer) {
        try {
            VolumeName volume = VolumeName.parse(name);
            return store.find(volume.volume(), volume.version()).map(answer)
                    .orElseGet(() -> err("no such volume: " + name));
        } catch (VolumeException e) {
            return err(e.getMessage());
        }
    }

    private Map<String, Object> mountpoint(InstalledVolume volume) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Mountpoint", volume.path().toString());
        response.put("Err", "");
        return response;
    }

    private static Map<String, Object> ok() {
        return Map.of("Err", "");
    }

    static Map<String, Object> err(String message) {
        return Map.of("Err", message);
    }
}
