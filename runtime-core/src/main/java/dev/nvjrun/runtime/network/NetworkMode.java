package dev.nvjrun.runtime.network;

/**
 * The value of {@code --network}. Only {@link Bridge} goes through {@link ContainerNetworking}; the
 * runtime handles the others itself (no new namespace, an empty one, or another container's).
 */
public sealed interface NetworkMode {
    record Bridge(String network) implements NetworkMode {
    }

    record Host() implements NetworkMode {
    }

    record None() implements NetworkMode {
    }

    /** Joins the network namespace of another container; find its path with {@link ContainerNetworking#attachment}. */
    record Container(String container) implements NetworkMode {
    }

    static NetworkMode parse(String value) {
        if (value == null || value.isEmpty() || value.equals("default")) {
            return new Bridge(NetworkDefinition.DEFAULT_NAME);
        }
        if (value.equals("host")) {
            return new Host();
        }
        if (value.equals("none")) {
            return new None();
        }
        if (value.startsWith("container:")) {
            String container = value.substring("container:".length());
            if (container.isEmpty()) {
                throw new NetworkException("invalid --network value 'container:': name the container whose network"
                        + " to join, such as container:web");
            }
            return new Container(container);
        }
        return new Bridge(value);
    }
}
