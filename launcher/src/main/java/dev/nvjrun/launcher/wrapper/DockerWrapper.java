package dev.nvjrun.launcher.wrapper;

import dev.nvjrun.launcher.HostSelection;
import dev.nvjrun.launcher.VersionCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nvidia-docker 1.0's wrapper mode ({@code nvjrun --engine docker …} or {@code NV_DOCKER}): only
 * {@code create} and {@code run} are rewritten — the device and volume arguments go right before
 * the image, when the image asks for NVIDIA volumes ({@code com.nvidia.volumes.needed}) — and
 * every other command goes to docker unchanged; {@code version} prints nvjrun's version first.
 */
public final class DockerWrapper {
    static final String LABEL_VOLUMES = "com.nvidia.volumes.needed";
    static final String LABEL_CUDA = "com.nvidia.cuda.version";
    static final Path DEFAULT_VOLUMES = Path.of("/var/lib/nvidia-docker/volumes");

    private final DockerCli docker;
    private final GpuArgumentSource gpus;
    private final List<String> nvGpu;
    private final PrintWriter out;

    DockerWrapper(DockerCli docker, GpuArgumentSource gpus, List<String> nvGpu, PrintWriter out) {
        this.docker = docker;
        this.gpus = gpus;
        this.nvGpu = List.copyOf(nvGpu);
        this.out = out;
    }

    /** The wrapper as the environment configures it: NV_DOCKER, NV_HOST/DOCKER_HOST, NV_GPU. */
    public static DockerWrapper configured(Map<String, String> env, HostSelection host, PrintWriter out) {
        DockerCli docker = DockerCli.fromEnvironment(env.get("NV_DOCKER"));
        GpuArgumentSource source = RemoteHost.from(env.get("NV_HOST"), env.get("DOCKER_HOST"), env.getOrDefault("USER", "root"))
                .<GpuArgumentSource>map(r -> r)
                .orElseGet(() -> new LocalGpuArguments(host, docker, DEFAULT_VOLUMES));
        String nvGpu = env.getOrDefault("NV_GPU", "");
        List<String> ids = nvGpu.isBlank() ? List.of() : List.of(nvGpu.strip().split("[ ,]+"));
        return new DockerWrapper(docker, source, ids, out);
    }

    /** Runs the docker command line and returns docker's exit status. */
    public int run(List<String> args) throws Exception {
        DockerArgv argv = DockerArgv.parse(args);
        if (argv.command().equals("version")) {
            out.println("NVIDIA Docker: nvjrun " + VersionCommand.buildVersion());
            out.println();
            out.flush();
        }
        if (!DockerArgv.isRewritten(argv.command()) || argv.imageIndex() < 0) {
            return docker.attached(args);
        }
        String image = argv.image();
        List<String> volumes = volumesNeeded(image);
        if (volumes.isEmpty()) {
            return docker.attached(args);
        }
        List<String> inserted = gpus.arguments(volumes, nvGpu, label(image, LABEL_CUDA));
        return docker.attached(argv.withBeforeImage(inserted));
    }

    private List<String> volumesNeeded(String image) throws Exception {
        if (docker.capture("inspect", "--type=image", image).status() != 0) {
            int pulled = docker.attached(List.of("pull", image));
            if (pulled != 0) {
                throw new WrapperException("cannot pull " + image + " (docker pull exited " + pulled + ")");
            }
        }
        String label = label(image, LABEL_VOLUMES);
        return label.isBlank() ? List.of() : new ArrayList<>(List.of(label.strip().split(" +")));
    }

    private String label(String image, String name) throws Exception {
        DockerCli.Output r = docker.capture("inspect", "--format={{index .Config.Labels \"" + name + "\"}}", image);
        if (r.status() != 0) {
            throw new WrapperException("cannot inspect image " + image + ": " + r.stderr().replaceFirst("^Error: ", ""));
        }
        String value = r.stdout().strip();
        return value.equals("<no value>") ? "" : value;
    }
}
