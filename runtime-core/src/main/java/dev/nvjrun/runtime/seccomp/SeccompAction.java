package dev.nvjrun.runtime.seccomp;

/** What the kernel does with a matched system call (the SECCOMP_RET_* values of linux/seccomp.h). */
public sealed interface SeccompAction {
    int returnValue();

    record Allow() implements SeccompAction {
        public int returnValue() {
            return 0x7fff0000;
        }
    }

    record Errno(int errno) implements SeccompAction {
        public Errno {
            if (errno < 1 || errno > 4095) {
                throw new IllegalArgumentException("seccomp errno " + errno + " must lie between 1 and 4095");
            }
        }

        public int returnValue() {
            return 0x00050000 | errno;
        }
    }

    record KillProcess() implements SeccompAction {
        public int returnValue() {
            return 0x80000000;
        }
    }

    SeccompAction ALLOW = new Allow();
    SeccompAction EPERM = new Errno(1);
    SeccompAction ENOSYS = new Errno(38);
}
