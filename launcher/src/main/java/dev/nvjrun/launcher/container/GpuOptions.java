package dev.nvjrun.launcher.container;

import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.launcher.gpu.ContainerGpus;
import dev.nvjrun.launcher.gpu.GpuChoiceLock;
import dev.nvjrun.launcher.gpu.GpuHolders;
import dev.nvjrun.runtime.container.ContainerRuntime;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.List;

/** Docker's {@code --gpus} for {@code run} and {@code create}. */
final class GpuOptions {
    @Option(names = "--gpus", paramLabel = "GPUS",
            description = "GPUs to give the container: all, a count, device=0,2 or \"device=GPU-…\", capabilities=…, count=…")
    String gpus;

    /**
     * The GPU edit of this command: the request sources known before the image (--gpus and
     * nvjrun's own NV_GPU, as nvidia-docker 1.0 read it); the image's and the user's environment
     * come later. Nothing here touches NVML or the container store.
     */
    List<SpecEdit> edits(CommandSpec spec) {
        Main main = Main.of(spec);
        RequestSources sources = RequestSources.none();
        if (gpus != null) {
            sources = sources.withGpusFlag(gpus);
        }
        String nvGpu = main.environment().get("NV_GPU");
        if (nvGpu != null) {
            sources = sources.withNvGpu(nvGpu);
        }
        return List.of(new GpuEdit(sources, new ContainerGpus(main.host()),
                () -> GpuHolders.of(ContainerRuntime.open(main.stateRoot()).list()).heldBy(), new GpuChoiceLock(main.stateRoot())));
    }
}
