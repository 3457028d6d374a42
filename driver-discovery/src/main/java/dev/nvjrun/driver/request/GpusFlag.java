package dev.nvjrun.driver.request;

import dev.nvjrun.driver.catalog.Capability;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's {@code --gpus} value, parsed as the Docker CLI does: one CSV record whose fields are
 * {@code all}, a count, or {@code key=value} with the keys {@code count}, {@code device},
 * {@code capabilities}, {@code driver} and {@code options}; a field holding commas is quoted
 * ({@code "device=0,2",capabilities=compute}); each key at most once; with neither a count nor
 * devices Docker asks for one GPU.
 *
 * <p>One extension, where Docker only fails: a bare field that follows {@code device=} or
 * {@code capabilities=} continues that list, so {@code device=0,2} works without the quotes.
 *
 * @param selector     the GPUs asked for
 * @param capabilities the driver capabilities named, empty when the value names none (or only
 *                     Docker's generic {@code gpu}/{@code nvidia})
 */
public record GpusFlag(GpuSelector selector, Optional<Set<Capability>> capabilities) {

    static final String ORIGIN = "--gpus";

    public GpusFlag {
        capabilities = capabilities.map(Set::copyOf);
    }

    public static GpusFlag parse(String value) throws GpuRequestException {
        if (value == null || value.isBlank()) {
            throw new GpuRequestException("empty --gpus value: give all, a count such as 2, or device=ID[,ID…]");
        }
        Integer count = null;
        List<DeviceId> devices = new ArrayList<>();
        Set<Capability> capabilities = null;
        Set<String> seen = new HashSet<>();
        String continuing = null;
        for (String raw : csvFields(value.strip())) {
            String field = raw.strip();
            int eq = field.indexOf('=');
            if (eq < 0 && continuing != null) {
                if (continuing.equals("device")) {
                    devices.add(DeviceId.parse(field, ORIGIN + " '" + value + "'"));
                } else {
                    addCapability(capabilities, field, value);
                }
                continue;
            }
            String key = eq < 0 ? "count" : field.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String val = eq < 0 ? field : field.substring(eq + 1).strip();
            if (!seen.add(key)) {
                throw new GpuRequestException("--gpus '" + value + "' gives " + key
                        + " more than once: give each of count, device, capabilities, driver, options once");
            }
            continuing = null;
            switch (key) {
                case "count" -> count = parseCount(val, value);
                case "device" -> {
                    for (String id : val.split(",", -1)) {
                        devices.add(DeviceId.parse(id, ORIGIN + " '" + value + "'"));
                    }
                    continuing = key;
                }
                case "capabilities" -> {
                    capabilities = EnumSet.noneOf(Capability.class);
                    for (String cap : val.split(",", -1)) {
                        addCapability(capabilities, cap, value);
                    }
                    continuing = key;
                }
                case "driver" -> {
                    if (!val.isEmpty() && !val.equalsIgnoreCase("nvidia")) {
                        throw new GpuRequestException("unsupported GPU driver '" + val + "' in --gpus '" + value
                                + "': nvjrun serves only driver=nvidia, so leave driver out or set it to nvidia");
                    }
                }
                case "options" -> {
                    // Docker passes options to the device driver; NVIDIA's driver defines none.
                }
                default -> throw new GpuRequestException("unexpected key '" + key + "' in --gpus '" + value
                        + "': use count, device, capabilities, driver or options");
            }
        }
        if (count != null && !devices.isEmpty()) {
            throw new GpuRequestException("--gpus '" + value
                    + "' sets both a count and devices: give either a count or device=ID[,ID…]");
        }
        GpuSelector selector;
        if (!devices.isEmpty()) {
            selector = new GpuSelector.Devices(devices);
        } else if (count == null) {
            selector = new GpuSelector.Count(1);
        } else {
            selector = count < 0 ? GpuSelector.ALL : new GpuSelector.Count(count);
        }
        Optional<Set<Capability>> caps = capabilities == null || capabilities.isEmpty()
                ? Optional.empty() : Optional.of(capabilities);
        return new GpusFlag(selector, caps);
    }

    private static void addCapability(Set<Capability> into, String raw, String value) throws GpuRequestException {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("gpu") || name.equals("nvidia")) {
            // Docker adds "gpu" to every request; "nvidia" selects the driver. Neither is a driver part.
            return;
        }
        try {
            into.addAll(Capability.parse(name));
        } catch (IllegalArgumentException e) {
            throw new GpuRequestException("unknown capability '" + raw.strip() + "' in --gpus '" + value
                    + "': use utility, compute, video, graphics, display, ngx, compat32 or all");
        }
    }

    /** -1 stands for all. */
    private static int parseCount(String field, String value) throws GpuRequestException {
        if (field.equalsIgnoreCase("all")) {
            return -1;
        }
        if (!DeviceId.DIGITS.matcher(field).matches()) {
            throw new GpuRequestException("invalid GPU count '" + field + "' in --gpus '" + value
                    + "': use all or a whole number such as 2");
        }
        return Integer.parseInt(field);
    }

    /** Splits one CSV record as Go's encoding/csv does (RFC 4180 quotes, no lazy quotes). */
    static List<String> csvFields(String value) throws GpuRequestException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i <= value.length()) {
            if (i < value.length() && value.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= value.length()) {
                        throw new GpuRequestException("unterminated quote in --gpus '" + value
                                + "': close the quoted field, for example \"device=0,2\"");
                    }
                    char c = value.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < value.length() && value.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < value.length() && value.charAt(i) != ',') {
                    throw new GpuRequestException("unexpected text after a quoted field in --gpus '" + value
                            + "': put a comma after the closing quote");
                }
            }
            while (i < value.length() && value.charAt(i) != ',') {
                char c = value.charAt(i++);
                if (c == '"') {
                    throw new GpuRequestException("stray quote in --gpus '" + value
                            + "': quote whole fields only, for example \"device=0,2\"");
                }
                field.append(c);
            }
            fields.add(field.toString());
            field.setLength(0);
            i++;
        }
        return fields;
    }
}
