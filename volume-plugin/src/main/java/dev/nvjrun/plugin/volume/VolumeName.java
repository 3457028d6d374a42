package dev.nvjrun.plugin.volume;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker volume name of this plugin, {@code <volume>_<driver-version>}, parsed as nvidia-docker
 * 1.0 parsed it. The version part is only checked to be plain when the store resolves it.
 *
 * @param volume  the served volume
 * @param version the driver version part
 */
public record VolumeName(DriverVolume volume, String version) {

    private static final Pattern NAME = Pattern.compile("^([a-zA-Z0-9_.-]+)_([0-9.]+)$");

    /**
     * Parses {@code nvidia_driver_535.104.05}.
     *
     * @throws VolumeException when the name is missing, malformed or names no served volume
     */
    public static VolumeName parse(String name) throws VolumeException {
        if (name == null || name.isEmpty()) {
            throw new VolumeException("missing volume name: give it as <volume>_<driver-version>, for example nvidia_driver_535.104.05");
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new VolumeException("bad volume format: " + name
                    + ": expected <volume>_<driver-version>, for example nvidia_driver_535.104.05");
        }
        DriverVolume volume = DriverVolume.named(m.group(1)).orElseThrow(() -> new VolumeException(
                "unsupported volume: " + name + ": this plugin serves nvidia_driver_<driver-version>"));
        return new VolumeName(volume, m.group(2));
    }

    /** Docker's name for it. */
    public String dockerName() {
        return volume.dockerName(version);
    }
}
