package dev.nvjrun.launcher.gpu;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.nvml.NvmlDevice;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.runtime.container.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nvjrun gpu ps}: which nvjrun container holds which GPU, from the containers' GPU labels. */
@Command(name = "ps", description = "List the GPUs that nvjrun containers (created or running) hold.")
public final class GpuPsCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GpuPsCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Main main = Main.of(spec);
        GpuHolders holders = GpuHolders.of(ContainerRuntime.open(main.stateRoot()).list());
        Map<String, String> indexes = holders.holders().isEmpty() ? Map.of() : indexesByUuid(main);
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-14s %-24s %-5s %s%n";
        out.printf(format, "CONTAINER ID", "NAME", "GPU", "UUID");
        for (GpuHolders.Holder h : holders.holders()) {
            out.printf(format, h.containerId().substring(0, Math.min(12, h.containerId().length())), h.containerName(),
                    indexes.getOrDefault(h.gpuUuid(), "-"), h.gpuUuid());
        }
        out.flush();
        return 0;
    }

    /** Host indexes for the UUIDs; a host whose driver cannot be read still gets the list, with "-". */
    private static Map<String, String> indexesByUuid(Main main) {
        Map<String, String> indexes = new HashMap<>();
        try (NvmlSession nvml = main.host().openNvml()) {
            List<NvmlDevice> devices = nvml.devices();
            for (NvmlDevice d : devices) {
                d.uuid().ifPresent(u -> indexes.put(u, d.index().isPresent() ? String.valueOf(d.index().getAsInt()) : "-"));
            }
        } catch (Exception e) {
            LOG.warn("GPU indexes unknown: {}", e.getMessage());
        }
        return indexes;
    }
}
