package dev.nvjrun.driver.request;

import java.util.regex.Pattern;

/**
 * Compares versions such as 12.4 and 550.54.15 the way libnvidia-container's requirement checks
 * do: numerically part by part, trailing zero parts ignored (12.4 = 12.4.0 &lt; 12.4.1).
 */
final class DottedVersion {

    private static final Pattern FORM = Pattern.compile("\\d{1,18}(\\.\\d{1,18})*");

    private DottedVersion() {
    }

    static boolean isValid(String version) {
        return FORM.matcher(version).matches();
    }

    /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
    static int compare(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            long x = i < pa.length ? Long.parseLong(pa[i]) : 0;
            long y = i < pb.length ? Long.parseLong(pb[i]) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }
}
