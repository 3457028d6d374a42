package dev.nvjrun.runtime.libc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.StartupFieldOrders;

/**
 * Binds a class's {@code static native} methods to the C library through JNA direct mapping: no
 * proxy class and no reflective dispatch per call, unlike an interface mapping. Every libc binding
 * of runtime-core goes through here, so the first one, whichever it is, starts JNA the cheap way
 * ({@link StartupFieldOrders}).
 */
public final class LibcBinding {
    private LibcBinding() {
    }

    /** For the static initialiser of a class that declares libc functions as {@code static native} methods. */
    public static void register(Class<?> functions) {
        StartupFieldOrders.install();
        Native.register(functions, NativeLibrary.getInstance("c"));
    }
}
