package dev.nvjrun.nvml.report;

/** Unit conversions and "N/A" formatting shared by the two pages; values are null when unknown. */
final class Units {
    static final long MIB = 1024 * 1024;
    static final String NA = "N/A";

    private Units() {
    }

    static String or(Object value, String suffix) {
        return value == null ? NA : value + suffix;
    }

    /** "used / total unit" when both are known, as 1.0 printed them. */
    static String ofTotal(Object used, Object total, String suffix) {
        return used == null || total == null ? NA : used + " / " + total + suffix;
    }

    static Integer nullable(java.util.OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    static Long nullable(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** Unsigned NVML int divided, e.g. milliwatts to watts. */
    static Integer divided(java.util.OptionalInt value, int divisor) {
        return value.isPresent() ? (int) (Integer.toUnsignedLong(value.getAsInt()) / divisor) : null;
    }
}
