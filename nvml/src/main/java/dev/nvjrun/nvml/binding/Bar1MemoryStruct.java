package dev.nvjrun.nvml.binding;

import com.sun.jna.Structure;

/** {@code nvmlBAR1Memory_t}: bytes. */
@Structure.FieldOrder({"bar1Total", "bar1Free", "bar1Used"})
public class Bar1MemoryStruct extends Structure {
    public long bar1Total;
    public long bar1Free;
    public long bar1Used;
}
