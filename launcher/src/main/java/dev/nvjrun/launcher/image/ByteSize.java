package dev.nvjrun.launcher.image;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Sizes as Docker prints them: decimal units, three significant digits ({@code 4.26MB}). */
record ByteSize(long bytes) {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    @Override
    public String toString() {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        if (rounded.compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < UNITS.length - 1) {
            rounded = rounded.movePointLeft(3).round(new MathContext(3, RoundingMode.HALF_EVEN));
            unit++;
        }
        return rounded.stripTrailingZeros().toPlainString() + UNITS[unit];
    }
}
