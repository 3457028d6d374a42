package dev.nvjrun.runtime.seccomp;

/**
 * A test on one 64-bit system call argument, as in Docker's profiles: {@code EQUAL} and
 * {@code NOT_EQUAL} compare with {@code value}; {@code MASKED_EQUAL} checks {@code (arg & value) == valueTwo}.
 */
public record ArgCondition(int index, Op op, long value, long valueTwo) {
    public enum Op { EQUAL, NOT_EQUAL, MASKED_EQUAL }

    public ArgCondition {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("system call argument index " + index + " must lie between 0 and 5");
        }
    }

    public static ArgCondition equal(int index, long value) {
        return new ArgCondition(index, Op.EQUAL, value, 0);
    }
}
