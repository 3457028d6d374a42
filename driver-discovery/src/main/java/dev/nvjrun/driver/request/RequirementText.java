package dev.nvjrun.driver.request;

import java.util.Objects;

/**
 * One requirement as the container asks for it: conditions separated by spaces (any alternative
 * may hold) and commas (all of an alternative must hold), such as
 * {@code cuda>=12.4 brand=tesla,driver>=470,driver<471}.
 *
 * @param source     where it came from ({@code NVIDIA_REQUIRE_CUDA}, or {@code CUDA_VERSION} for legacy images)
 * @param expression the text
 */
public record RequirementText(String source, String expression) {

    public RequirementText {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(expression, "expression");
    }
}
