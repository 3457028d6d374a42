package dev.nvjrun.runtime.network;

import java.util.List;

/** What {@code nvjrun network inspect} shows: the definition and who is attached. */
public record NetworkInspection(NetworkDefinition network, List<NetworkAttachment> containers) {
}
