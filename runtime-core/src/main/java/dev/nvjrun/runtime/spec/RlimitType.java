package dev.nvjrun.runtime.spec;

import java.util.Arrays;
import java.util.Optional;

/** The resources of setrlimit(2), with their x86-64 numbers and Docker's --ulimit names. */
public enum RlimitType {
    CPU(0, "cpu"), FSIZE(1, "fsize"), DATA(2, "data"), STACK(3, "stack"), CORE(4, "core"), RSS(5, "rss"),
    NPROC(6, "nproc"), NOFILE(7, "nofile"), MEMLOCK(8, "memlock"), AS(9, "as"), LOCKS(10, "locks"),
    SIGPENDING(11, "sigpending"), MSGQUEUE(12, "msgqueue"), NICE(13, "nice"), RTPRIO(14, "rtprio"), RTTIME(15, "rttime");

    private final int number;
    private final String dockerName;

    RlimitType(int number, String dockerName) {
        this.number = number;
        this.dockerName = dockerName;
    }

    public int number() {
        return number;
    }

    public String dockerName() {
        return dockerName;
    }

    public static Optional<RlimitType> byDockerName(String name) {
        return Arrays.stream(values()).filter(t -> t.dockerName.equals(name)).findFirst();
    }
}
