package dev.nvjrun.driver.request;

import java.util.Optional;

/** The comparisons of an {@code NVIDIA_REQUIRE_*} condition. */
public enum Operator {
    EQUAL("="), NOT_EQUAL("!="), LESS("<"), LESS_EQUAL("<="), GREATER(">"), GREATER_EQUAL(">=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    static Optional<Operator> ofSymbol(String symbol) {
        for (Operator op : values()) {
            if (op.symbol.equals(symbol)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** Whether a comparison result (negative, zero, positive) satisfies this operator. */
    boolean accepts(int comparison) {
        return switch (this) {
            case EQUAL -> comparison == 0;
            case NOT_EQUAL -> comparison != 0;
            case LESS -> comparison < 0;
            case LESS_EQUAL -> comparison <= 0;
            case GREATER -> comparison > 0;
            case GREATER_EQUAL -> comparison >= 0;
        };
    }
}
