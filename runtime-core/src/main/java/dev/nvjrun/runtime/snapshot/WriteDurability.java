package dev.nvjrun.runtime.snapshot;

/**
 * Whether a mounted snapshot's writes must survive a crash of the machine. A container that is removed
 * when it exits ({@code run --rm}) never reads its writable layer back after a crash, so its writes
 * need not be synced: overlay's {@code volatile} option skips the sync that an unmount otherwise does
 * (an ext4 journal commit, after which every unlink of the snapshot's files costs a discard).
 */
public enum WriteDurability {
    /** Synced like any file system: what a container wrote is there after a crash. */
    SYNCED,
    /** Never synced by the snapshotter; for snapshots deleted when their container exits. */
    VOLATILE
}
