package com.sun.jna;

import dev.nvjrun.runtime.helper.LibC;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order put in JNA's cache must be the one JNA would read from the annotation, or every binding breaks. */
class StartupFieldOrdersTest {

    @Test
    void theInstalledOrderIsTheAnnotations() {
        Structure.FieldOrder annotation = Structure.FFIType.class.getAnnotation(Structure.FieldOrder.class);
        assertEquals(List.of(annotation.value()), StartupFieldOrders.FFI_TYPE, "JNA changed FFIType's fields: update StartupFieldOrders");
    }

    @Test
    void bindingsWorkWithItInstalled() {
        StartupFieldOrders.install();
        assertEquals("Success", LibC.INSTANCE.strerror(0), "a direct-mapped call after the first binding");
        assertEquals(StartupFieldOrders.FFI_TYPE, Structure.fieldOrder.get(Structure.FFIType.class));
    }
}
