package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

import java.util.List;

/** {@code nvmlBAR1Memory_t}: bytes. */
public class Bar1MemoryStruct extends Structure {
    public long bar1Total;
    public long bar1Free;
    public long bar1Used;

    /** The C struct's field order: returned, not annotated (see {@link NvmlLibrary}). */
    @Override
    protected List<String> getFieldOrder() {
        return List.of("bar1Total", "bar1Free", "bar1Used");
    }
}
