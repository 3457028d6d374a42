package dev.nvjrun.runtime.spec;

import java.util.List;

/** What runs in the container: argv, environment (NAME=value), working directory, identity and limits. */
public record ProcessSpec(List<String> args, List<String> env, String cwd, User user, List<Rlimit> rlimits, boolean init) {
    public ProcessSpec {
        if (args == null || args.isEmpty() || args.get(0).isEmpty()) {
            throw new IllegalArgumentException("the container needs a command to run; give one after the image or set an entrypoint");
        }
        args = List.copyOf(args);
        env = List.copyOf(env);
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entry '" + e + "' must have the form NAME=value");
            }
        }
        if (cwd == null || !cwd.startsWith("/")) {
            throw new IllegalArgumentException("working directory '" + cwd + "' must be an absolute path");
        }
        rlimits = List.copyOf(rlimits);
    }

    public ProcessSpec withArgs(List<String> newArgs) {
        return new ProcessSpec(newArgs, env, cwd, user, rlimits, init);
    }
}
