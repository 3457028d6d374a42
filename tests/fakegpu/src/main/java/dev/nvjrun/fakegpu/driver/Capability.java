package dev.nvjrun.fakegpu.driver;

/** The driver capabilities of NVIDIA's container tooling, each owning a set of driver files. */
public enum Capability {
    UTILITY, COMPUTE, VIDEO, GRAPHICS, DISPLAY, NGX
}
