package dev.nvjrun.launcher.container;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** The flags of {@code docker create} that {@code run} and {@code create} share, as Docker spells them. */
final class CreateOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "Name the container.")
    String name;

    @Option(names = {"-i", "--interactive"}, description = "Keep standard input open.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the container a terminal.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Set an environment variable (NAME alone copies the host's value).")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read environment variables from a file, one NAME=value a line.")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User name or uid, optionally with a group.")
    String user;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replace the image's entrypoint (and drop its default command).")
    String entrypoint;

    @Option(names = {"-h", "--hostname"}, paramLabel = "NAME", description = "Container host name.")
    String hostname;

    @Option(names = {"-v", "--volume"}, paramLabel = "HOST:CTR[:ro]", description = "Bind-mount a host path.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTS]", description = "Mount a tmpfs.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--device", paramLabel = "HOST[:CTR][:rwm]", description = "Give the container a host device.")
    List<String> devices = new ArrayList<>();

    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES", description = "Memory limit, e.g. 512m.")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "BYTES", description = "Memory plus swap limit; -1 for unlimited swap.")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (quota over a 100 ms period).")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", description = "Relative CPU weight (default 1024).")
    Long cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs the container may use, e.g. 0-1.")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes the container may use, e.g. 0.")
    String cpusetMems;

    @Option(names = "--cgroupns", paramLabel = "MODE", description = "Cgroup namespace: host or private (default: host on cgroup v1, private on v2).")
    String cgroupns;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Maximum number of processes (-1 or 0: unlimited).")
    Long pidsLimit;

    @Option(names = "--blkio-weight", paramLabel = "N", description = "Relative block IO weight, 10 to 1000.")
    Integer blkioWeight;

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "Resource limit, never above the current hard limit.")
    List<String> ulimits = new ArrayList<>();

    @Mixin NetworkOptions net = new NetworkOptions();

    @Option(names = "--init", description = "Run a tiny init as PID 1 that reaps zombies and forwards signals.")
    boolean init;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set a label.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--stop-signal", paramLabel = "SIGNAL", description = "Signal that stops the container (default TERM).")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds to wait after the stop signal before SIGKILL (default 10).")
    Integer stopTimeout;

    @Option(names = "--privileged", description = "All capabilities and devices, no seccomp, no masked paths.")
    boolean privileged;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability (ALL for every one).")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a capability (ALL for every one).")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--security-opt", paramLabel = "OPT", description = "seccomp=unconfined or no-new-privileges.")
    List<String> securityOpts = new ArrayList<>();

    @Option(names = "--read-only", description = "Mount the root file system read-only.")
    boolean readOnly;

    @Option(names = "--shm-size", paramLabel = "BYTES", description = "Size of /dev/shm (default 64m).")
    String shmSize;

    @Option(names = "--storage-driver", paramLabel = "DRIVER", description = "overlay (default) or vfs.")
    String storageDriver;

    @Mixin LogOptions log = new LogOptions();

    @Mixin GpuOptions gpu = new GpuOptions();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
    List<String> command = new ArrayList<>();
}
