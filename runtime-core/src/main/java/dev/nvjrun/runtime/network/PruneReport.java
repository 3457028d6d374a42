package dev.nvjrun.runtime.network;

/** What {@code nvjrun system prune} removed from networking: leftovers of dead or half-attached containers. */
public record PruneReport(int attachments, int rules, int leases, int links) {
    public boolean removedAnything() {
        return attachments + rules + leases + links > 0;
    }
}
