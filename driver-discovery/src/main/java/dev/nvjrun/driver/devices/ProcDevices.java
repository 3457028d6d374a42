package dev.nvjrun.driver.devices;

import dev.nvjrun.driver.DriverDiscoveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The character-device majors the kernel has handed out, from {@code <procRoot>/devices}. */
public record ProcDevices(Map<String, Integer> characterMajors) {

    public ProcDevices {
        characterMajors = Map.copyOf(characterMajors);
    }

    public static ProcDevices read(Path procRoot) throws DriverDiscoveryException {
        Path file = procRoot.resolve("devices");
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new DriverDiscoveryException("cannot read the device majors from " + file + " (" + e
                    + "). Check that /proc is mounted (or that --proc-root points at it)", e);
        }
    }

    /** Parses the "Character devices:" block; the block devices that follow are not needed. */
    static ProcDevices parse(String text) {
        Map<String, Integer> majors = new LinkedHashMap<>();
        boolean inCharacter = false;
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.endsWith("devices:")) {
                inCharacter = t.equals("Character devices:");
            } else if (inCharacter && !t.isEmpty()) {
                String[] parts = t.split("\\s+", 2);
                if (parts.length == 2 && parts[0].chars().allMatch(Character::isDigit)) {
                    majors.putIfAbsent(parts[1], Integer.parseInt(parts[0]));
                }
            }
        }
        return new ProcDevices(majors);
    }

    public Optional<Integer> major(String driverName) {
        return Optional.ofNullable(characterMajors.get(driverName));
    }
}
