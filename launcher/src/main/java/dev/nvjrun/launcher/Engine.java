package dev.nvjrun.launcher;

import java.util.List;
import java.util.Map;

/**
 * Which engine runs containers: nvjrun's own runtime (the default), or Docker in nvidia-docker
 * 1.0's wrapper mode, chosen by a leading {@code --engine docker} or by {@code NV_DOCKER}.
 *
 * @param args the arguments without the engine option
 */
record Engine(boolean docker, List<String> args) {

    static Engine select(List<String> args, Map<String, String> env) {
        String name = null;
        List<String> rest = args;
        if (!args.isEmpty() && args.get(0).startsWith("--engine=")) {
            name = args.get(0).substring("--engine=".length());
            rest = args.subList(1, args.size());
        } else if (args.size() >= 2 && args.get(0).equals("--engine")) {
            name = args.get(1);
            rest = args.subList(2, args.size());
        }
        if (name == null) {
            String nvDocker = env.get("NV_DOCKER");
            return new Engine(nvDocker != null && !nvDocker.isBlank(), List.copyOf(args));
        }
        return switch (name) {
            case "docker" -> new Engine(true, List.copyOf(rest));
            case "nvjrun" -> new Engine(false, List.copyOf(rest));
            default -> throw new IllegalArgumentException("unknown engine \"" + name + "\": use --engine nvjrun (the default) or --engine docker");
        };
    }
}
