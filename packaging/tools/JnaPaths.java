import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Run by scripts/assemble-dist (java -cp jna.jar JnaPaths.java): prints what JNA would otherwise
 * work out on every start of nvjrun. Line 1: the jar folder of this platform's libjnidispatch.so
 * (extracted once into lib/native instead of into a temporary file per start). Line 2: JNA's library
 * search path, which it builds from a fork of {@code /sbin/ldconfig -p} on first use unless
 * jna.platform.library.path is set.
 */
public final class JnaPaths {
    public static void main(String[] args) {
        NativeLibrary.getProcess(); // runs the static set-up that computes jna.platform.library.path
        System.out.println(Platform.RESOURCE_PREFIX);
        System.out.println(System.getProperty("jna.platform.library.path"));
    }
}
