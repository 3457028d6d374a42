package dev.nvjrun.driver.request;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One comparison of a requirement, such as {@code cuda>=12.4} or {@code brand=tesla}.
 *
 * @param subject what is compared
 * @param operator how
 * @param value   the version or brand it is compared with
 */
public record Condition(Subject subject, Operator operator, String value) {

    /** What a condition compares: the driver's CUDA or own version, or a GPU's compute capability or brand. */
    public enum Subject {
        CUDA, DRIVER, ARCH, BRAND;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String OPERATOR_CHARS = "<>=!";

    public Condition {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
    }

    /** Parses {@code cuda>=12.4}; empty when it is not a valid condition. */
    static Optional<Condition> parse(String text) {
        int opStart = 0;
        while (opStart < text.length() && OPERATOR_CHARS.indexOf(text.charAt(opStart)) < 0) {
            opStart++;
        }
        int opEnd = opStart;
        while (opEnd < text.length() && OPERATOR_CHARS.indexOf(text.charAt(opEnd)) >= 0) {
            opEnd++;
        }
        if (opStart == 0 || opStart == opEnd || opEnd == text.length()) {
            return Optional.empty();
        }
        Optional<Operator> op = Operator.ofSymbol(text.substring(opStart, opEnd));
        Optional<Subject> subject = subject(text.substring(0, opStart));
        String value = text.substring(opEnd);
        if (op.isEmpty() || subject.isEmpty()) {
            return Optional.empty();
        }
        boolean valid = subject.get() == Subject.BRAND
                ? (op.get() == Operator.EQUAL || op.get() == Operator.NOT_EQUAL)
                : DottedVersion.isValid(value);
        return valid ? Optional.of(new Condition(subject.get(), op.get(), value)) : Optional.empty();
    }

    private static Optional<Subject> subject(String name) {
        for (Subject s : Subject.values()) {
            if (s.keyword().equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the condition holds. As in libnvidia-container, a GPU condition holds when no GPU is
     * given, and any condition holds when the host does not know the value it compares.
     */
    boolean holds(HostDriver driver, Optional<HostGpu> gpu) {
        return switch (subject) {
            case CUDA -> versionHolds(driver.cudaVersion());
            case DRIVER -> versionHolds(driver.driverVersion());
            case ARCH -> gpu.isEmpty() || versionHolds(gpu.get().computeCapability());
            case BRAND -> gpu.isEmpty() || gpu.get().brand().isEmpty()
                    || (operator == Operator.EQUAL) == gpu.get().brand().equalsIgnoreCase(value);
        };
    }

    private boolean versionHolds(String actual) {
        return !DottedVersion.isValid(actual) || operator.accepts(DottedVersion.compare(actual, value));
    }

    @Override
    public String toString() {
        return subject.keyword() + operator.symbol() + value;
    }
}
