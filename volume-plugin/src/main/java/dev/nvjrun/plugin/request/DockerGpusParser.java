package dev.nvjrun.plugin.request;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses Docker's {@code --gpus} syntax the way the Docker CLI does: the value is one CSV record
 * whose fields are {@code all}, a count, or {@code key=value} with the keys {@code count},
 * {@code device}, {@code capabilities} and {@code driver}. A field holding commas is quoted:
 * {@code "device=0,2",capabilities=compute}.
 */
public final class DockerGpusParser {

    private DockerGpusParser() {
    }

    public static GpuRequest parse(String value) throws BadRequestException {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("empty GPU request: give all, a count, or device=ID[,ID…]");
        }
        Integer count = null;
        List<String> devices = new ArrayList<>();
        Set<String> capabilities = new LinkedHashSet<>();
        for (String field : csvFields(value.trim())) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                count = parseCount(field);
                continue;
            }
            String key = field.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String val = field.substring(eq + 1).trim();
            switch (key) {
                case "count" -> count = parseCount(val);
                case "device" -> {
                    for (String id : val.split(",")) {
                        if (id.isBlank()) {
                            throw new BadRequestException("empty device id in GPU request '" + value + "'");
                        }
                        devices.add(id.trim());
                    }
                }
                case "capabilities" -> {
                    for (String cap : val.split(",")) {
                        if (!cap.isBlank()) {
                            capabilities.add(cap.trim());
                        }
                    }
                }
                case "driver" -> {
                    if (!val.equals("nvidia") && !val.isEmpty()) {
                        throw new BadRequestException("unsupported GPU driver '" + val + "': only nvidia is served here");
                    }
                }
                default -> throw new BadRequestException("unexpected key '" + key + "' in GPU request '" + value
                        + "': use count, device, capabilities or driver");
            }
        }
        if (count != null && !devices.isEmpty()) {
            throw new BadRequestException("GPU request '" + value + "' sets both a count and devices: give one of them");
        }
        if (count == null && devices.isEmpty()) {
            throw new BadRequestException("GPU request '" + value + "' selects no GPUs: add all, a count, or device=ID");
        }
        GpuSelector selector = !devices.isEmpty() ? new GpuSelector.Devices(devices)
                : count < 0 ? GpuSelector.ALL : new GpuSelector.Count(count);
        return new GpuRequest(selector, capabilities);
    }

    /** -1 stands for all. */
    private static int parseCount(String field) throws BadRequestException {
        String f = field.trim();
        if (f.equalsIgnoreCase("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(f);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException("invalid GPU count '" + f + "': use all or a whole number");
        }
    }

    private static List<String> csvFields(String value) throws BadRequestException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i <= value.length()) {
            if (i < value.length() && value.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= value.length()) {
                        throw new BadRequestException("unterminated quote in GPU request '" + value + "'");
                    }
                    char c = value.charAt(i++);
                    if (c == '"') {
                        if (i < value.length() && value.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < value.length() && value.charAt(i) != ',') {
                    throw new BadRequestException("unexpected text after a quoted field in GPU request '" + value + "'");
                }
            }
            while (i < value.length() && value.charAt(i) != ',') {
                char c = value.charAt(i++);
                if (c == '"') {
                    throw new BadRequestException("stray quote in GPU request '" + value + "': quote whole fields only");
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
