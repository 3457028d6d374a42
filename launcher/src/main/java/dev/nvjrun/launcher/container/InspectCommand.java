package dev.nvjrun.launcher.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Namespace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nvjrun inspect [-f FORMAT] CONTAINER...}: a JSON array in the shape of {@code docker inspect}
 * (the fields nvjrun has). {@code -f '{{.State.ExitCode}}'} prints one field per container.
 */
@Command(name = "inspect", description = "Show containers in detail as a JSON array.")
public class InspectCommand extends RuntimeCommand {
    private static final List<String> DOCKER_MOUNT_TARGETS = List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
            "/etc/hostname", "/etc/hosts", "/etc/resolv.conf");

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", description = "Print fields, e.g. '{{.State.Status}}' or '{{json .Config}}'.")
    String format;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() throws Exception {
        ContainerRuntime runtime = runtime();
        if (containers.stream().noneMatch(ref -> isContainer(runtime, ref))) {
            // Docker's inspect also takes images: hand them to `image inspect`, with the same global options.
            return inspectImages();
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode result = json.createArrayNode();
        for (String ref : containers) {
            ContainerState state = runtime.inspect(ref);
            ObjectNode node = describe(state, json);
            // Docker's: the json-file log that `logs` reads, empty when the driver keeps none
            node.put("LogPath", state.log().keepsLog() ? runtime.logFile(state.id()).toString() : "");
            result.add(node);
        }
        if (format == null) {
            out().println(json.writeValueAsString(result));
            return 0;
        }
        ObjectMapper compact = new ObjectMapper();
        // {{.A.B}} and {{json .A}}: the part of Go templates that scripts use with docker inspect
        Pattern field = Pattern.compile("\\{\\{\\s*(json\\s+)?((?:\\.[A-Za-z0-9_]+)+|\\.)\\s*}}");
        for (JsonNode node : result) {
            Matcher m = field.matcher(format);
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                JsonNode value = node;
                if (!m.group(2).equals(".")) {
                    for (String part : m.group(2).substring(1).split("\\.")) {
                        value = value.path(part);
                    }
                }
                String text = m.group(1) != null || value.isContainerNode() ? compact.writeValueAsString(value)
                        : value.isMissingNode() || value.isNull() ? "<no value>" : value.asText();
                m.appendReplacement(line, Matcher.quoteReplacement(text));
            }
            m.appendTail(line);
            out().println(line);
        }
        return 0;
    }

    private static boolean isContainer(ContainerRuntime runtime, String ref) {
        try {
            runtime.inspect(ref);
            return true;
        } catch (ContainerException e) {
            return false;
        }
    }

    private int inspectImages() {
        ImageService images = new ImageService(layout());
        for (String ref : containers) {
            try {
                images.inspect(ref);
            } catch (ImageException e) {
                throw new ContainerException("no such container or image: " + ref + "; 'nvjrun ps -a' and 'nvjrun images' list them", 125);
            }
        }
        if (format != null) {
            throw new IllegalArgumentException("--format works for containers only; for images use 'nvjrun image inspect'");
        }
        List<String> original = spec.root().commandLine().getParseResult().originalArgs();
        int at = original.indexOf("inspect");
        List<String> again = new ArrayList<>(original.subList(0, at));
        again.addAll(List.of("image", "inspect"));
        again.addAll(original.subList(at + 1, original.size()));
        out().flush();
        return Main.execute(again.toArray(String[]::new), Main.of(spec).rawOut(), errStream());
    }

    private ObjectNode describe(ContainerState s, ObjectMapper json) {
        ContainerSpec spec = s.spec();
        ContainerRootfs rootfs = ContainerRootfs.of(layout(), spec.rootfs());
        ContainerRootfs.Origin origin = rootfs == null ? new ContainerRootfs.Origin("", "", false) : rootfs.origin();
        ObjectNode node = json.createObjectNode();
        node.put("Id", s.id());
        node.put("Created", s.created());
        node.put("Path", spec.process().args().get(0));
        ArrayNode args = node.putArray("Args");
        spec.process().args().stream().skip(1).forEach(args::add);
        ObjectNode state = node.putObject("State");
        state.put("Status", PsCommand.state(s));
        state.put("Running", s.status() == ContainerStatus.RUNNING);
        state.put("Paused", false);
        state.put("Restarting", false);
        state.put("OOMKilled", s.oomKilled());
        state.put("Dead", false);
        state.put("Pid", s.pid());
        state.put("ExitCode", s.exitCode() == null ? 0 : s.exitCode());
        state.put("Error", s.error() == null ? "" : s.error());
        state.put("StartedAt", s.started() == null ? "0001-01-01T00:00:00Z" : s.started());
        state.put("FinishedAt", s.finished() == null ? "0001-01-01T00:00:00Z" : s.finished());
        node.put("Image", origin.imageId());
        node.put("Name", "/" + s.name());
        node.put("RestartCount", 0);
        node.put("Driver", rootfs == null ? "" : rootfs.driver().driverName());
        ObjectNode host = node.putObject("HostConfig");
        CgroupResources r = spec.resources();
        host.put("NetworkMode", spec.namespaces().contains(Namespace.NETWORK) ? "none" : "host");
        host.put("AutoRemove", s.autoRemove());
        host.put("Privileged", spec.maskedPaths().isEmpty() && spec.security().seccompFilter().length == 0);
        host.put("ReadonlyRootfs", spec.readonlyRootfs());
        host.put("Memory", r.memoryBytes() == null ? 0 : r.memoryBytes());
        host.put("MemorySwap", r.memorySwapBytes() == null ? 0 : r.memorySwapBytes());
        host.put("NanoCpus", r.cpuQuotaMicros() == null ? 0 : r.cpuQuotaMicros() * 1_000_000_000L / r.cpuPeriodMicros() );
        host.put("CpuShares", r.cpuShares() == null ? 0 : r.cpuShares());
        host.put("CgroupnsMode", spec.namespaces().contains(Namespace.CGROUP) ? "private" : "host");
        host.put("CpusetCpus", r.cpusetCpus() == null ? "" : r.cpusetCpus());
        host.put("CpusetMems", r.cpusetMems() == null ? "" : r.cpusetMems());
        host.put("PidsLimit", r.pidsLimit() == null ? 0 : r.pidsLimit());
        host.put("BlkioWeight", r.blkioWeight() == null ? 0 : r.blkioWeight());
        ObjectNode logConfig = host.putObject("LogConfig");
        logConfig.put("Type", s.log().driver());
        ObjectNode logOptions = logConfig.putObject("Config");
        if (s.log().maxSize() > 0) {
            logOptions.put("max-size", Long.toString(s.log().maxSize()));
        }
        if (s.log().maxFiles() > 1) {
            logOptions.put("max-file", Integer.toString(s.log().maxFiles()));
        }
        ArrayNode mounts = node.putArray("Mounts");
        for (Mount m : spec.mounts()) {
            if (!DOCKER_MOUNT_TARGETS.contains(m.target()) && (m.type().equals("bind") || m.type().equals("tmpfs"))) {
                ObjectNode mount = mounts.addObject();
                mount.put("Type", m.type());
                mount.put("Source", m.type().equals("bind") ? m.source() : "");
                mount.put("Destination", m.target());
                mount.put("RW", !m.flags().contains(MountFlag.RDONLY));
            }
        }
        ObjectNode config = node.putObject("Config");
        config.put("Hostname", spec.hostname());
        config.put("User", spec.process().user().uid() + ":" + spec.process().user().gid());
        config.put("Tty", origin.tty());
        ArrayNode env = config.putArray("Env");
        spec.process().env().forEach(env::add);
        ArrayNode cmd = config.putArray("Cmd");
        spec.process().args().forEach(cmd::add);
        config.put("Image", origin.image());
        config.put("WorkingDir", spec.process().cwd());
        ObjectNode labels = config.putObject("Labels");
        s.labels().forEach(labels::put);
        config.put("StopSignal", s.stopSignal());
        config.put("StopTimeout", s.stopTimeoutSeconds());
        ObjectNode graph = node.putObject("GraphDriver");
        graph.put("Name", rootfs == null ? "" : rootfs.driver().driverName());
        graph.putObject("Data").put("MergedDir", spec.rootfs().toString());
        return node;
    }
}
