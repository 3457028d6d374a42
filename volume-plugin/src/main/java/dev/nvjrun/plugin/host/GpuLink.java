package dev.nvjrun.plugin.host;

/**
 * A topology link from one GPU to a peer.
 *
 * @param peerBusId the peer's PCI bus id
 * @param link      the link kind as nvidia-docker names it ({@code PCIe switch}, {@code NVLink}, …)
 */
public record GpuLink(String peerBusId, String link) {
}
