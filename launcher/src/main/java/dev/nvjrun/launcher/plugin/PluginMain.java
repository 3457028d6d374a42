package dev.nvjrun.launcher.plugin;

import dev.nvjrun.launcher.Main;

import java.util.stream.Stream;

/** {@code nvjrun-plugin ARGS}: the same as {@code nvjrun plugin ARGS}, under nvidia-docker-plugin's own name. */
public final class PluginMain {

    private PluginMain() {
    }

    public static void main(String[] args) {
        String[] all = Stream.concat(Stream.of("plugin"), Stream.of(args)).toArray(String[]::new);
        System.exit(Main.execute(all, System.out, System.err));
    }
}
