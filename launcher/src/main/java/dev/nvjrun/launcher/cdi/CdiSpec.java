package dev.nvjrun.launcher.cdi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * A Container Device Interface spec (github.com/cncf-tags/container-device-interface, SPEC.md),
 * the fields nvjrun writes. Version 0.5.0 because it is the first that allows device names that
 * start with a digit ("0", "1", …) and {@code hostPath} on device nodes, and the newest that
 * podman 4.3's CDI library accepts.
 *
 * @param kind {@code vendor/class}, e.g. {@code nvidia.com/gpu}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CdiSpec(String cdiVersion, String kind, List<Device> devices, Edits containerEdits) {

    public static final String VERSION = "0.5.0";

    public CdiSpec {
        Objects.requireNonNull(kind, "kind");
        devices = devices == null ? List.of() : List.copyOf(devices);
        containerEdits = containerEdits == null ? Edits.NONE : containerEdits;
    }

    /** The fully qualified names a runtime accepts: {@code vendor/class=name}. */
    public List<String> qualifiedNames() {
        return devices.stream().map(d -> kind + "=" + d.name()).toList();
    }

    /** One device a user can ask for by name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Device(String name, Edits containerEdits) {
        public Device {
            Objects.requireNonNull(name, "name");
            containerEdits = containerEdits == null ? Edits.NONE : containerEdits;
        }
    }

    /** What a device (or any device of the spec) adds to the container's OCI spec. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Edits(List<String> env, List<DeviceNode> deviceNodes, List<Hook> hooks, List<Mount> mounts) {
        static final Edits NONE = new Edits(List.of(), List.of(), List.of(), List.of());

        public Edits {
            env = env == null ? List.of() : List.copyOf(env);
            deviceNodes = deviceNodes == null ? List.of() : List.copyOf(deviceNodes);
            hooks = hooks == null ? List.of() : List.copyOf(hooks);
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }
    }

    /**
     * @param path     the node's path in the container
     * @param hostPath the node on the host (differs from {@code path} on a simulated host)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeviceNode(String path, String hostPath, String type, Long major, Long minor, Integer fileMode,
                             String permissions) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mount(String hostPath, String containerPath, List<String> options) {
        public Mount {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hook(String hookName, String path, List<String> args) {
        public Hook {
            args = args == null ? List.of() : List.copyOf(args);
        }
    }
}
