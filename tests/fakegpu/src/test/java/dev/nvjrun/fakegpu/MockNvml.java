package dev.nvjrun.fakegpu;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;

/** Calls into one host's mock libnvidia-ml.so through JNA, the way the nvml module will. */
final class MockNvml {

    static final int SUCCESS = 0;
    static final int UNINITIALIZED = 1;
    static final int INVALID_ARGUMENT = 2;
    static final int NOT_SUPPORTED = 3;
    static final int NOT_FOUND = 6;
    static final int INSUFFICIENT_SIZE = 7;
    static final int DRIVER_NOT_LOADED = 9;
    static final int GPU_IS_LOST = 15;

    private final NativeLibrary library;

    MockNvml(Path path) {
        this.library = NativeLibrary.getInstance(path.toString());
    }

    int call(String function, Object... args) {
        return library.getFunction(function).invokeInt(args);
    }

    Function function(String name) {
        return library.getFunction(name);
    }

    Pointer handle(int index) {
        PointerByReference handle = new PointerByReference();
        int result = call("nvmlDeviceGetHandleByIndex_v2", index, handle);
        if (result != SUCCESS) {
            throw new AssertionError("nvmlDeviceGetHandleByIndex_v2(" + index + ") returned " + result);
        }
        return handle.getValue();
    }

    int count() {
        IntByReference count = new IntByReference();
        int result = call("nvmlDeviceGetCount_v2", count);
        if (result != SUCCESS) {
            throw new AssertionError("nvmlDeviceGetCount_v2 returned " + result);
        }
        return count.getValue();
    }
}
