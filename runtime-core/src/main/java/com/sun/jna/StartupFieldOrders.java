package com.sun.jna;

import java.util.List;

/**
 * JNA's first native binding creates its FFIType structures, and a Structure learns its field order by
 * reading its {@code @FieldOrder} annotation: the JDK then defines proxy classes for the annotation
 * types, about 4 ms of every container start. JNA caches each structure's order in a package-private
 * map; this class, in JNA's package for that reason, puts FFIType's order there first, exactly as the
 * annotation states it (StartupFieldOrdersTest compares them, so a JNA upgrade that changes it fails).
 */
public final class StartupFieldOrders {
    static final List<String> FFI_TYPE = List.of("size", "alignment", "type", "elements");

    private StartupFieldOrders() {
    }

    /** Before the first binding; a second call, or one after the binding, changes nothing. Under JNA's own lock. */
    public static void install() {
        Structure.fieldOrderLock.writeLock().lock();
        try {
            Structure.fieldOrder.putIfAbsent(Structure.FFIType.class, FFI_TYPE);
        } finally {
            Structure.fieldOrderLock.writeLock().unlock();
        }
    }
}
