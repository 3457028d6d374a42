package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

import java.util.List;

/** {@code nvmlMemory_t} (v1): bytes. */
public class MemoryStruct extends Structure {
    public long total;
    public long free;
    public long used;

    /** The C struct's field order: returned, not annotated (see {@link NvmlLibrary}). */
    @Override
    protected List<String> getFieldOrder() {
        return List.of("total", "free", "used");
    }
}
