package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

import java.util.List;

/** {@code nvmlUtilization_t}: percentages over the last sample period. */
public class UtilizationStruct extends Structure {
    public int gpu;
    public int memory;

    /** The C struct's field order: returned, not annotated (see {@link NvmlLibrary}). */
    @Override
    protected List<String> getFieldOrder() {
        return List.of("gpu", "memory");
    }
}
