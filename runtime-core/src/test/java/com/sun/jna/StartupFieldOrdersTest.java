package com.sun.jna;

import dev.nvjrun.runtime.helper.LibC;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The order put in JNA's cache must be the one JNA would read from the annotation, or every binding breaks. */
class StartupFieldOrdersTest {

    @Test
    void theInstalledOrderIsTheAnnotations() {
        Structure.FieldOrder annotation = Structure.FFIType.class.getAnnotation(Structure.FieldOrder.class);
        assertEquals(List.of(annotation.value()), StartupFieldOrders.FFI_TYPE, "JNA changed FFIType's fields: update StartupFieldOrders");
    }

    @Test
    void installPutsTheOrderInJnasCacheAndBindingsWorkWithIt() {
        // Another test of this JVM may have bound libc already, so JNA's cache may hold its own list: start empty.
        Structure.fieldOrderLock.writeLock().lock();
        try {
            Structure.fieldOrder.remove(Structure.FFIType.class);
        } finally {
            Structure.fieldOrderLock.writeLock().unlock();
        }
        StartupFieldOrders.install();
        assertSame(StartupFieldOrders.FFI_TYPE, Structure.fieldOrder.get(Structure.FFIType.class), "JNA's cache holds the installed list");
        StartupFieldOrders.install();
        assertSame(StartupFieldOrders.FFI_TYPE, Structure.fieldOrder.get(Structure.FFIType.class), "a second install changes nothing");
        assertEquals("Success", LibC.INSTANCE.strerror(0), "a direct-mapped call works with it");
        assertEquals(4, new Structure.FFIType().fields().size(), "JNA lays FFIType out from that order");
    }
}
