package dev.nvjrun.driver.catalog;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** NVIDIA_DRIVER_CAPABILITIES: which parts of the driver a container gets. */
public enum Capability {
    UTILITY, COMPUTE, VIDEO, GRAPHICS, DISPLAY, NGX,
    /** Not a part of the driver but a modifier: also the 32-bit libraries of the other capabilities. */
    COMPAT32;

    /** Parses a comma-separated list such as "compute,utility" or "all" (every capability). */
    public static Set<Capability> parse(String list) {
        EnumSet<Capability> out = EnumSet.noneOf(Capability.class);
        for (String raw : list.split(",")) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                return EnumSet.allOf(Capability.class);
            }
            try {
                out.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown driver capability \"" + raw.strip() + "\" in \"" + list
                        + "\". Use a comma-separated list of utility, compute, video, graphics, display, ngx, compat32, or all", e);
            }
        }
        return out;
    }

    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
