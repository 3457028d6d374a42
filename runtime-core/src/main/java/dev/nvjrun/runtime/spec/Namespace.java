package dev.nvjrun.runtime.spec;

/** The namespaces a container can get of its own; the wire name is what the helper reads. */
public enum Namespace {
    MOUNT("mount"), PID("pid"), UTS("uts"), IPC("ipc"), NETWORK("network"), CGROUP("cgroup");

    private final String wireName;

    Namespace(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
