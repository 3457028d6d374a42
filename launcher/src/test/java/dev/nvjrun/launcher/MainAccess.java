package dev.nvjrun.launcher;

import java.io.OutputStream;
import java.util.Map;

/** Lets tests in other packages run the CLI with an environment of their choosing. */
public final class MainAccess {
    private MainAccess() {
    }

    public static int execute(String[] args, OutputStream out, OutputStream err, Map<String, String> env) {
        return Main.execute(args, out, err, env);
    }
}
