package dev.nvjrun.driver.request;

import java.util.Locale;
import java.util.regex.Pattern;

/** One entry of a device list, in any of the forms NVIDIA's runtime accepts. */
public sealed interface DeviceId {

    /** The id as the user wrote it, for messages and for NVIDIA_VISIBLE_DEVICES. */
    String text();

    /** A GPU by NVML index ({@code 0}). */
    record Index(int index, String text) implements DeviceId {
    }

    /** A GPU by UUID or a unique prefix of it ({@code GPU-8a3f}). */
    record UuidPrefix(String prefix, String text) implements DeviceId {
    }

    /** A MIG device by its GPU's index and its position among that GPU's MIG devices ({@code 0:1}). */
    record MigIndex(int gpu, int mig, String text) implements DeviceId {
    }

    /** A MIG device by UUID ({@code MIG-…}) or a unique prefix of it. */
    record MigUuid(String prefix, String text) implements DeviceId {
    }

    /** A GPU by PCI bus id ({@code 00000000:3B:00.0} or {@code 3b:00.0}). */
    record PciBusId(String busId, String text) implements DeviceId {
    }

    Pattern DIGITS = Pattern.compile("\\d{1,9}");
    Pattern MIG_INDEX = Pattern.compile("(\\d{1,9}):(\\d{1,9})");
    Pattern BUS_ID = Pattern.compile("(?:[0-9a-fA-F]{1,8}:)?[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2}\\.[0-7]");
    Pattern UUID_CHARS = Pattern.compile("[A-Za-z0-9-]+");

    /**
     * Parses one id.
     *
     * @param origin where the id came from, for the message ("--gpus", "NV_GPU", …)
     */
    static DeviceId parse(String raw, String origin) throws GpuRequestException {
        String id = raw.strip();
        if (id.isEmpty()) {
            throw new GpuRequestException("empty device id in " + origin
                    + ": separate ids with single commas, for example device=0,2");
        }
        if (DIGITS.matcher(id).matches()) {
            return new Index(Integer.parseInt(id), id);
        }
        var mig = MIG_INDEX.matcher(id);
        if (mig.matches()) {
            return new MigIndex(Integer.parseInt(mig.group(1)), Integer.parseInt(mig.group(2)), id);
        }
        if (BUS_ID.matcher(id).matches()) {
            return new PciBusId(id, id);
        }
        String upper = id.toUpperCase(Locale.ROOT);
        if (upper.startsWith("MIG-") && UUID_CHARS.matcher(id.substring(4)).matches()) {
            return new MigUuid(id, id);
        }
        if (upper.startsWith("GPU-") && (id.length() == 4 || UUID_CHARS.matcher(id.substring(4)).matches())) {
            return new UuidPrefix(id, id);
        }
        throw new GpuRequestException("malformed device id '" + id + "' in " + origin
                + ": use a GPU index (0), a GPU UUID or its prefix (GPU-8a3f…), a MIG device as GPU:MIG (0:1)"
                + " or MIG-UUID, or a PCI bus id (0000:3b:00.0)");
    }
}
