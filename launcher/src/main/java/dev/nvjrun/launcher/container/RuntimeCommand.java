package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.store.StoreLayout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What every container command shares: the state root of the global {@code --root}, the output
 * streams, and Docker's exit codes. A {@link ContainerException} carries its own code (126 and 127
 * for a command that cannot run), so it is reported here instead of by the generic error path.
 */
abstract class RuntimeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /**
     * Without this property JNA's first library load runs {@code /sbin/ldconfig -p} (a fork of the
     * JVM, about 20 ms) only to build a fallback search path; runtime-core binds libc by name, which
     * the dynamic linker finds on its own. A value the user set is kept.
     */
    private static final String JNA_SEARCH_PATH = "jna.platform.library.path";

    @Override
    public final Integer call() throws Exception {
        if (System.getProperty(JNA_SEARCH_PATH) == null) {
            System.setProperty(JNA_SEARCH_PATH, "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib/aarch64-linux-gnu:"
                    + "/lib/aarch64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");
        }
        try {
            return execute();
        } catch (ContainerException e) {
            if (debug()) {
                e.printStackTrace(err());
            }
            err().println("nvjrun: " + e.getMessage());
            err().flush();
            return e.exitCode();
        }
    }

    abstract int execute() throws Exception;

    boolean debug() {
        Boolean debug = spec.root().findOption("--debug").getValue();
        return Boolean.TRUE.equals(debug);
    }

    StoreLayout layout() {
        return new StoreLayout(Main.of(spec).stateRoot());
    }

    ContainerRuntime runtime() {
        ExitCommand onExit = ExitCommand.of(System.getProperty(ExitCommand.LAUNCHER_PROPERTY), layout().root(), debug());
        return ContainerRuntime.open(layout().root()).withExitCommand(onExit.argv());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error as a byte stream, for the pull progress of a missing image. */
    PrintStream errStream() {
        PrintWriter err = err();
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                err.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
