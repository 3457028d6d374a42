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
import java.util.function.Function;

/**
 * {@code nvjrun gpu info|status}: the pages nvidia-docker-plugin 1.0 served, from the same code as the plugin;
 * {@code nvjrun gpu ps}: which container holds which GPU.
 */
@Command(name = "gpu", description = "Show the host's GPUs.",
        subcommands = {GpuCommand.Info.class, GpuCommand.Status.class, GpuPsCommand.class})
public final class GpuCommand {

    /** A page is gathered from one NVML session and printed as text or as JSON. */
    record Page(Function<NvmlSession, String> text, Function<NvmlSession, String> json) {}

    abstract static class PageCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON with nvidia-docker 1.0's field names.")
        boolean json;

        abstract Page page();

        @Override
        public Integer call() throws Exception {
            String shown;
            try (NvmlSession nvml = Main.of(spec).host().openNvml()) {
                shown = json ? page().json().apply(nvml) + "\n" : page().text().apply(nvml);
            }
            spec.commandLine().getOut().print(shown);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "info", description = "Static information about every GPU (nvidia-docker's /gpu/info).")
    static final class Info extends PageCommand {
        @Override
        Page page() {
            return new Page(nvml -> GpuInfo.gather(nvml).toText(), nvml -> GpuInfo.gather(nvml).toJson());
        }
    }

    @Command(name = "status", description = "Live power, temperature, utilisation, memory and processes (nvidia-docker's /gpu/status).")
    static final class Status extends PageCommand {
        @Override
        Page page() {
            return new Page(nvml -> GpuStatus.gather(nvml).toText(), nvml -> GpuStatus.gather(nvml).toJson());
        }
    }
}
