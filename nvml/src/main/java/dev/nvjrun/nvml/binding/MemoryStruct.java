package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

/** {@code nvmlMemory_t} (v1): bytes. */
@Structure.FieldOrder({"total", "free", "used"})
public class MemoryStruct extends Structure {
    public long total;
    public long free;
    public long used;
}
