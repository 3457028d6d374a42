package dev.nvjrun.nvml;

/** A feature's mode now and after the next reset (ECC, MIG). */
public record ModeState(boolean current, boolean pending) {
}
