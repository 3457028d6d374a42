package dev.nvjrun.launcher.gpu;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.nvml.report.GpuInfo;
import dev.nvjrun.nvml.report.GpuStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code nvjrun gpu info|status}: the pages nvidia-docker-plugin 1.0 served, from the same code as the plugin. */
@Command(name = "gpu", description = "Show the host's GPUs.",
        subcommands = {GpuCommand.Info.class, GpuCommand.Status.class})
public final class GpuCommand {

    @Command(name = "info", description = "Static information about every GPU (nvidia-docker's /gpu/info).")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON with nvidia-docker 1.0's field names.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (NvmlSession nvml = Main.of(spec).host().openNvml()) {
                GpuInfo info = GpuInfo.gather(nvml);
                spec.commandLine().getOut().print(json ? info.toJson() + "\n" : info.toText());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "status", description = "Live power, temperature, utilisation, memory and processes (nvidia-docker's /gpu/status).")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON with nvidia-docker 1.0's field names.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (NvmlSession nvml = Main.of(spec).host().openNvml()) {
                GpuStatus status = GpuStatus.gather(nvml);
                spec.commandLine().getOut().print(json ? status.toJson() + "\n" : status.toText());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
