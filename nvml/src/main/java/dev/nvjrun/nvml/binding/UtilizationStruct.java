package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

/** {@code nvmlUtilization_t}: percentages over the last sample period. */
@Structure.FieldOrder({"gpu", "memory"})
public class UtilizationStruct extends Structure {
    public int gpu;
    public int memory;
}
