package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.dns.HostEntry;
import java.util.List;

/**
 * The persisted state of one attachment. It is written before anything changes on the host
 * (phase ATTACHING), so that a CLI killed half-way leaves a record that prune can undo.
 *
 * @param netnsInode  the namespace's inode at attach time; a different one at the same path means the
 *                    container is gone (its pid was reused)
 * @param hostEnd     the veth end on the host's bridge
 * @param hostsFile   the file to keep current as the container's /etc/hosts, or null
 * @param extraHosts  --add-host entries, already resolved, re-rendered on every refresh
 */
record AttachmentRecord(Phase phase, NetworkAttachment attachment, long netnsInode, String hostEnd, String hostsFile,
        List<HostEntry> extraHosts) {

    enum Phase { ATTACHING, ATTACHED }

    AttachmentRecord withPhase(Phase value) {
        return new AttachmentRecord(value, attachment, netnsInode, hostEnd, hostsFile, extraHosts);
    }

    AttachmentRecord withAttachment(NetworkAttachment value) {
        return new AttachmentRecord(phase, value, netnsInode, hostEnd, hostsFile, extraHosts);
    }

    String containerId() {
        return attachment.containerId();
    }
}
