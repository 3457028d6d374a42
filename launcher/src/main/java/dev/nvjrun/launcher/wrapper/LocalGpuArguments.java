package dev.nvjrun.launcher.wrapper;

import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.edits.DockerArguments;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.launcher.HostSelection;
import dev.nvjrun.launcher.gpu.NvmlHostFacts;
import dev.nvjrun.nvml.NvmlSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GPU arguments from this host's NVML and driver files, through the same request → edits path as
 * {@code nvjrun run --gpus} and the plugin's {@code /docker/cli}.
 */
record LocalGpuArguments(HostSelection host, DockerCli docker, Path volumesDir) implements GpuArgumentSource {

    static final String DRIVER_VOLUME = "nvidia_driver";
    static final String VOLUME_DRIVER = "nvidia-docker";

    /**
     * Docker reads the host side of --device itself: under a device root other than "/" (a
     * simulated host) the node lives elsewhere on the host but keeps its path in the container.
     */
    private String dockerDevice(String containerPath) {
        Path onHost = host.roots().inDevRoot(containerPath);
        return onHost.equals(Path.of(containerPath)) ? containerPath : onHost + ":" + containerPath;
    }

    @Override
    public List<String> arguments(List<String> volumes, List<String> gpus, String imageCuda) throws Exception {
        DriverCatalog catalog = host.catalog();
        try (NvmlSession nvml = host.openNvml(catalog)) {
            HostGpus facts = NvmlHostFacts.gpus(nvml);
            GpuArgumentSource.checkCuda(facts.driver().cudaVersion(), imageCuda);
            String version = facts.driver().driverVersion();
            String volume = DRIVER_VOLUME + "_" + version;
            var request = new RequestResolver(facts, NvmlHostFacts.topology(nvml))
                    .resolve(GpuRequest.ofDeviceList(String.join(",", gpus)));
            var edits = new DriverInjection(host.roots(), catalog, new NvidiaDevices(host.roots()), version)
                    .withDriverVolume(volume, volumesDir.resolve(DRIVER_VOLUME).resolve(version))
                    .edits(request);
            List<String> args = new ArrayList<>();
            for (String device : DockerArguments.nvidiaDocker1(edits, VOLUME_DRIVER).devices()) {
                args.add("--device=" + dockerDevice(device));
            }
            if (volumes.contains(DRIVER_VOLUME)) {
                // As 1.0: a volume Docker already has is used directly, else the plugin provides it.
                if (docker.capture("volume", "inspect", volume).status() != 0) {
                    args.add("--volume-driver=" + VOLUME_DRIVER);
                }
                args.add("--volume=" + volume + ":" + DriverInjection.VOLUME_PATH + ":ro");
            }
            return args;
        }
    }
}
