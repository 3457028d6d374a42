package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.cgroup.CgroupException;
import dev.nvjrun.runtime.cgroup.CgroupManager;
import dev.nvjrun.runtime.cgroup.CgroupView;
import dev.nvjrun.runtime.cgroup.ContainerCgroup;
import dev.nvjrun.runtime.helper.HelperBinary;
import dev.nvjrun.runtime.helper.HelperException;
import dev.nvjrun.runtime.helper.HelperProcess;
import dev.nvjrun.runtime.helper.HelperStatus;
import dev.nvjrun.runtime.helper.LibC;
import dev.nvjrun.runtime.mount.EtcFiles;
import dev.nvjrun.runtime.process.Signals;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.JsonLog;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.SpecWriter;
import dev.nvjrun.runtime.spec.Supervision;
import dev.nvjrun.runtime.spec.Symlink;
import dev.nvjrun.runtime.spec.Terminal;
import dev.nvjrun.runtime.store.RandomBytes;
import dev.nvjrun.runtime.store.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Docker's container life cycle over specs: create, start (detached), run (foreground), kill, stop,
 * wait, delete, list, inspect, prune. State lives under a root directory so that every nvjrun process
 * sees the same containers; a detached container's supervisor (the native helper) outlives the caller.
 */
public final class ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntime.class);
    private static final int EXIT_NVJRUN = 125;
    private static final int EXIT_UNKNOWN = 255;

    private final StateStore store;
    private final CgroupManager cgroups;
    private final HelperBinary helper;
    private final List<String> exitCommand;

    public ContainerRuntime(Path stateRoot, CgroupManager cgroups, HelperBinary helper) {
        this(new StateStore(stateRoot), cgroups, helper, List.of());
    }

    private ContainerRuntime(StateStore store, CgroupManager cgroups, HelperBinary helper, List<String> exitCommand) {
        this.store = store;
        this.cgroups = cgroups;
        this.helper = helper;
        this.exitCommand = List.copyOf(exitCommand);
    }

    /**
     * This runtime, with a command that a detached container's supervisor runs once the container has exited
     * and its status is recorded (podman's --exit-command): {@code command} followed by the container id. The
     * command must release what its caller set up around the container and, for a self-removing container,
     * remove it ({@link #recordExit}, {@link #removeAfterExit}); when it fails the supervisor removes the state and cgroups itself.
     */
    public ContainerRuntime withExitCommand(List<String> command) {
        return new ContainerRuntime(store, cgroups, helper, command);
    }

    /** A runtime on this host's cgroups, with the helper extracted under {@code stateRoot/bin}. */
    public static ContainerRuntime open(Path stateRoot) {
        return new ContainerRuntime(stateRoot, CgroupManager.detect(), HelperBinary.extractTo(stateRoot.resolve("bin")));
    }

    /**
     * Readies the host for a container that starts within the next milliseconds: the kernel's wait for its process's
     * first cgroup join is taken now ({@link CgroupManager#prepareJoin}). Blocks for up to about 10 ms; callers run it
     * on a thread of their own while they finish the container's spec.
     */
    public void prepareCgroupJoin() {
        cgroups.prepareJoin();
    }

    public ContainerState create(CreateRequest request) {
        String id = HexFormat.of().formatHex(randomBytes());
        String name = request.name() == null ? "nvjrun_" + id.substring(0, 12) : request.name();
        return store.locked("", () -> {
            for (String other : store.ids()) {
                if (store.load(other).map(s -> s.name().equals(name)).orElse(false)) {
                    throw new ContainerException("the container name '" + name + "' is already in use by container "
                            + other.substring(0, 12) + "; remove that container or choose another name", EXIT_NVJRUN);
                }
            }
            Path dir = store.dir(id);
            try {
                Files.createDirectories(dir);
                ContainerSpec spec = request.spec();
                String hostname = spec.hostname().isEmpty() ? id.substring(0, 12) : spec.hostname();
                List<Mount> mounts = new ArrayList<>(spec.mounts());
                mounts.addAll(EtcFiles.write(dir.resolve("etc"), hostname, Path.of("/etc/resolv.conf")));
                spec = spec.withHostname(hostname).withMounts(mounts);
                ContainerState state = new ContainerState(id, name, ContainerStatus.CREATED, 0, 0, null, false, null,
                        Instant.now().toString(), null, null, request.labels(), request.stopSignal(), request.stopTimeoutSeconds(),
                        request.autoRemove(), spec, request.log());
                store.save(state);
                return state;
            } catch (IOException | RuntimeException e) {
                store.deleteDir(id);
                if (e instanceof ContainerException ce) {
                    throw ce;
                }
                throw new ContainerException("cannot create container " + name + ": " + e.getMessage(), e);
            }
        });
    }

    private static byte[] randomBytes() {
        return RandomBytes.of(32);
    }

    /** Starts a created (or exited) container detached; its output goes to {@link #logFile} (json-file). */
    public ContainerState start(String ref) {
        return start(ref, null);
    }

    /** Starts detached, with a terminal ({@code create -t}) whose output goes to the log as well. */
    public ContainerState start(String ref, Terminal terminal) {
        String id = store.resolve(ref);
        return store.locked(id, () -> {
            Path none = Path.of("/dev/null");
            // A detached container must not hold on to the caller's terminal.
            Launched l = launch(id, true, new Stdio(none, none, none, terminal));
            l.helper().waitFor(); // the detaching parent exits at once; its child supervises
            return store.load(id).orElseThrow();
        });
    }

    /**
     * {@code docker run} in the foreground: creates, starts with the caller's (or the given) stdio, waits,
     * and removes the container afterwards when {@code remove} is set.
     */
    public RunResult run(CreateRequest request, boolean remove, Stdio stdio) {
        return runCreated(create(request).id(), remove, stdio);
    }

    /**
     * The second half of {@link #run}: starts a created container in the foreground, waits, and removes
     * it afterwards when {@code remove} is set. Callers that prepare something between creation and
     * start (a network namespace, say) use {@link #create} and this.
     */
    public RunResult runCreated(String ref, boolean remove, Stdio stdio) {
        ContainerState created = inspect(ref);
        String id = created.id();
        // SIGTERM (or Ctrl-C) to the JVM must reach the container, not orphan it: stop it like `docker stop`.
        // The hook is in place before the launch, so no signal falls between the two (addShutdownHook would
        // fail with "Shutdown in progress"). A hook that runs first keeps the container from starting; one
        // that runs during the launch waits for it (same lock) and then stops the container.
        AtomicBoolean stopping = new AtomicBoolean();
        Thread stopOnShutdown = new Thread(() -> {
            stopping.set(true);
            stop(id, null);
        }, "nvjrun-stop-" + created.shortId());
        try {
            Runtime.getRuntime().addShutdownHook(stopOnShutdown);
        } catch (IllegalStateException shuttingDown) {
            throw notStarted(created);
        }
        boolean removed = false;
        try {
            Launched l = store.locked(id, () -> {
                if (stopping.get()) {
                    throw notStarted(created);
                }
                return launch(id, false, stdio);
            });
            l.helper().waitFor();
            ContainerState done = store.locked(id, () -> remove ? removeExited(store.load(id).orElseThrow()) : refresh(store.load(id).orElseThrow()));
            removed = remove;
            return new RunResult(id, done.exitCode() == null ? EXIT_UNKNOWN : done.exitCode(), done.oomKilled());
        } finally {
            removeHook(stopOnShutdown);
            if (remove && !removed) {
                delete(id, true);
            }
        }
    }

    private record Launched(HelperProcess helper, int containerPid) {
    }

    private static ContainerException notStarted(ContainerState created) {
        return new ContainerException("nvjrun was told to stop before container " + created.name() + " started; it did not start it",
                EXIT_NVJRUN);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the container
        }
    }

    private Launched launch(String id, boolean detach, Stdio stdio) {
        ContainerState state = refresh(load(id));
        if (state.status() == ContainerStatus.RUNNING) {
            throw new ContainerException("container " + state.name() + " is already running", EXIT_NVJRUN);
        }
        Path dir = store.dir(id);
        Path pids = dir.resolve("pids");
        Path exit = dir.resolve("exit");
        try {
            Files.deleteIfExists(pids);
            Files.deleteIfExists(exit);
        } catch (IOException e) {
            throw new ContainerException("cannot reset the state files in " + dir + ": " + e.getMessage(), e);
        }
        cgroups.remove(id);
        ContainerCgroup cgroup;
        try {
            cgroup = cgroups.create(id, state.spec().resources());
        } catch (CgroupException e) {
            save(state.exited(EXIT_NVJRUN, false, e.getMessage(), Instant.now().toString()));
            throw new ContainerException(e.getMessage(), EXIT_NVJRUN);
        }
        LogConfig logConfig = state.log();
        // In the foreground the supervisor copies the output to the caller as well (tee), as docker run does.
        JsonLog log = logConfig.keepsLog() ? new JsonLog(jsonLog(id), logConfig.maxSize(), logConfig.maxFiles(), !detach) : null;
        List<String> onExit = new ArrayList<>();
        if (detach && !exitCommand.isEmpty()) {
            onExit.addAll(exitCommand);
            onExit.add(id);
        }
        Supervision supervision = new Supervision(detach, stdio.stdin(), stdio.stdout(), stdio.stderr(), stdio.terminal(), pids, exit, 0,
                detach && state.autoRemove() ? dir : null, store.lockFile(id), log, onExit);
        byte[] wire = SpecWriter.write(withCgroupView(state.spec(), id), cgroup.directories(), supervision);
        HelperProcess process;
        try {
            process = HelperProcess.spawn(helper, wire);
        } catch (HelperException e) {
            cgroups.remove(id);
            save(state.exited(EXIT_NVJRUN, false, e.getMessage(), Instant.now().toString()));
            throw new ContainerException(e.getMessage(), EXIT_NVJRUN);
        }
        HelperStatus status = process.awaitStatus();
        if (status instanceof HelperStatus.Failed f) {
            process.waitFor();
            cgroups.remove(id);
            save(state.exited(f.exitCode(), false, f.message(), Instant.now().toString()));
            throw new ContainerException("cannot start container " + state.name() + ": " + f.message(), f.exitCode());
        }
        int containerPid = ((HelperStatus.Started) status).containerPid();
        int supervisor = detach ? readSupervisorPid(pids) : process.pid();
        save(state.running(supervisor, containerPid, Instant.now().toString()));
        LOG.debug("container {} runs as pid {} under supervisor {}", id, containerPid, supervisor);
        return new Launched(process, containerPid);
    }

    /**
     * The spec with its {@code cgroup} mount (Docker's /sys/fs/cgroup) replaced by the mounts and links that
     * show this container its own groups; they are known only once the groups exist.
     */
    private ContainerSpec withCgroupView(ContainerSpec spec, String id) {
        List<Mount> mounts = new ArrayList<>();
        List<Symlink> links = new ArrayList<>(spec.symlinks());
        boolean ownNamespace = spec.namespaces().contains(Namespace.CGROUP);
        for (Mount m : spec.mounts()) {
            if (m.type().equals("cgroup")) {
                CgroupView view = cgroups.view(id, m.target(), ownNamespace, m.flags().contains(MountFlag.RDONLY));
                mounts.addAll(view.mounts());
                links.addAll(view.symlinks());
            } else {
                mounts.add(m);
            }
        }
        return spec.withMounts(mounts).withSymlinks(links);
    }

    private static int readSupervisorPid(Path pids) {
        try {
            return Integer.parseInt(Files.readString(pids).trim().split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("the helper did not record its pid in " + pids + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker exec}: runs another process in a running container's namespaces and cgroups, with the
     * container's capabilities and seccomp program, and returns its exit code.
     */
    public int exec(String ref, ProcessSpec process, Stdio stdio) {
        String id = store.resolve(ref);
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() != ContainerStatus.RUNNING) {
            throw new ContainerException("container " + s.name() + " is not running; start it before exec", EXIT_NVJRUN);
        }
        Supervision supervision = new Supervision(false, stdio.stdin(), stdio.stdout(), stdio.stderr(), stdio.terminal(), null, null, s.pid(), null, null,
                null, List.of());
        byte[] wire = SpecWriter.write(s.spec().withProcess(process), cgroups.find(id).directories(), supervision);
        HelperProcess helperProcess;
        try {
            helperProcess = HelperProcess.spawn(helper, wire);
        } catch (HelperException e) {
            throw new ContainerException(e.getMessage(), EXIT_NVJRUN);
        }
        if (helperProcess.awaitStatus() instanceof HelperStatus.Failed f) {
            helperProcess.waitFor();
            throw new ContainerException("cannot exec in container " + s.name() + ": " + f.message(), f.exitCode());
        }
        return helperProcess.waitFor();
    }

    /** Sends a signal to the container's first process. */
    public void kill(String ref, int signal) {
        String id = store.resolve(ref);
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() != ContainerStatus.RUNNING) {
            throw new ContainerException("container " + s.name() + " is not running", EXIT_NVJRUN);
        }
        if (LibC.INSTANCE.kill(s.pid(), signal) != 0) {
            throw new ContainerException("cannot send signal " + signal + " to container " + s.name() + " (pid " + s.pid() + ")", EXIT_NVJRUN);
        }
    }

    /** Sends the stop signal, waits up to {@code timeout} (null: the container's stop timeout), then SIGKILL. */
    public ContainerState stop(String ref, Duration timeout) {
        String id = store.resolve(ref);
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() != ContainerStatus.RUNNING) {
            return s;
        }
        Duration grace = timeout == null ? Duration.ofSeconds(s.stopTimeoutSeconds()) : timeout;
        signalIfRunning(id, Signals.parse(s.stopSignal()));
        Optional<ContainerState> done = awaitExit(id, grace);
        if (done.isEmpty()) {
            signalIfRunning(id, Signals.SIGKILL);
            done = awaitExit(id, Duration.ofSeconds(30));
        }
        return done.orElseThrow(() -> new ContainerException("container " + s.name() + " did not exit within 30 s of SIGKILL", EXIT_NVJRUN));
    }

    private void signalIfRunning(String id, int signal) {
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() == ContainerStatus.RUNNING) {
            LibC.INSTANCE.kill(s.pid(), signal);
        }
    }

    /** Blocks until the container exits and returns its exit code, like {@code docker wait}. */
    public int await(String ref) {
        String id = store.resolve(ref);
        ContainerState s = awaitExit(id, null).orElseThrow();
        return s.exitCode() == null ? EXIT_UNKNOWN : s.exitCode();
    }

    private Optional<ContainerState> awaitExit(String id, Duration limit) {
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        ContainerState last = null;
        while (true) {
            Optional<ContainerState> current = store.locked(id, () -> store.load(id).map(this::refresh));
            if (current.isEmpty()) {
                if (last == null) {
                    throw new ContainerException("no such container: " + id, EXIT_NVJRUN);
                }
                // It removed itself on exit (run -d --rm); its supervisor kept the exit status beside the lock.
                Optional<Integer> kept = readExit(store.exitAfterRemoval(id));
                return Optional.of(last.exited(kept.orElse(EXIT_UNKNOWN), false, kept.isPresent() ? null : "removed itself after exiting",
                        Instant.now().toString()));
            }
            ContainerState s = current.get();
            last = s;
            if (s.status() != ContainerStatus.RUNNING) {
                return Optional.of(s);
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while waiting for container " + s.name(), e);
            }
        }
    }

    /** Removes a container; a running one only with {@code force} (which kills it first). */
    public void delete(String ref, boolean force) {
        String id = store.resolve(ref);
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() == ContainerStatus.RUNNING) {
            if (!force) {
                throw new ContainerException("container " + s.name() + " is running; stop it first or remove it with force", EXIT_NVJRUN);
            }
            signalIfRunning(id, Signals.SIGKILL);
            awaitExit(id, Duration.ofSeconds(30));
        }
        store.locked(id, () -> {
            cgroups.remove(id);
            store.deleteDir(id);
            return null;
        });
    }

    public ContainerState inspect(String ref) {
        String id = store.resolve(ref);
        return store.locked(id, () -> refresh(load(id)));
    }

    /** Every container, oldest first, with fresh status. */
    public List<ContainerState> list() {
        List<ContainerState> all = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                all.add(inspect(id));
            } catch (ContainerException e) {
                LOG.debug("container {} vanished while listing: {}", id, e.getMessage());
            }
        }
        all.sort((a, b) -> a.created().compareTo(b.created()));
        return all;
    }

    /** Removes every container that is not running; returns their ids. */
    public List<String> prune() {
        store.removeOrphanLocks();
        List<String> removed = new ArrayList<>();
        for (ContainerState s : list()) {
            if (s.status() != ContainerStatus.RUNNING) {
                delete(s.id(), false);
                removed.add(s.id());
            }
        }
        return removed;
    }

    /**
     * The directory of the container's /etc/hostname, /etc/hosts and /etc/resolv.conf (bind-mounted,
     * so rewriting a file in place changes what the container sees, also while it runs).
     */
    public Path etcDir(String ref) {
        return store.dir(store.resolve(ref)).resolve("etc");
    }

    /**
     * The container's json-file log, {@code <container dir>/<id>-json.log} (rotated ones beside it as
     * {@code .1}, {@code .2}...); whether it exists depends on its {@link LogConfig}.
     */
    public Path logFile(String ref) {
        return jsonLog(store.resolve(ref));
    }

    private Path jsonLog(String id) {
        return store.dir(id).resolve(id + "-json.log");
    }

    /**
     * The exit command's first step, once a detached container has exited: records the exit and releases
     * the cgroups (refused while it still runs). Returns the final state.
     */
    public ContainerState recordExit(String ref) {
        String id = store.resolve(ref);
        ContainerState s = store.locked(id, () -> refresh(load(id)));
        if (s.status() == ContainerStatus.RUNNING) {
            throw new ContainerException("container " + s.name() + " is still running; clean up after it exits", EXIT_NVJRUN);
        }
        return s;
    }

    /**
     * The exit command's last step for a self-removing container ({@code run -d --rm}): its exit status is
     * kept beside its lock for {@code wait} (as the helper's AUTOREMOVE does), then its cgroups and state go.
     */
    public void removeAfterExit(String ref) {
        ContainerState s = recordExit(ref);
        store.locked(s.id(), () -> {
            new AtomicFile(store.exitAfterRemoval(s.id())).write(((s.exitCode() == null ? EXIT_UNKNOWN : s.exitCode()) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            cgroups.remove(s.id());
            store.deleteDir(s.id());
            return null;
        });
    }

    private ContainerState load(String id) {
        return store.load(id).orElseThrow(() -> new ContainerException("no such container: " + id, EXIT_NVJRUN));
    }

    private void save(ContainerState s) {
        store.save(s);
    }

    /** Notices an exit the supervisor recorded (or a supervisor that vanished) and releases the cgroup. */
    private ContainerState refresh(ContainerState s) {
        if (s.status() != ContainerStatus.RUNNING) {
            return s;
        }
        Path exit = store.dir(s.id()).resolve("exit");
        Optional<Integer> code = readExit(exit);
        if (code.isEmpty() && isAlive(s.supervisorPid())) {
            return s;
        }
        code = code.isPresent() ? code : readExit(exit);
        if (s.autoRemove() && s.supervisorPid() > 0) {
            // The supervisor deletes the cgroups and this state itself; writing here would race with it.
            return s.exited(code.orElse(EXIT_UNKNOWN), false, null, Instant.now().toString());
        }
        ContainerState done = exited(s, code);
        cgroups.remove(s.id());
        save(done);
        return done;
    }

    /** The final state of a container whose supervisor has ended: its recorded exit status, or why there is none. */
    private ContainerState exited(ContainerState s, Optional<Integer> code) {
        boolean oom = cgroups.oomKilled(s.id());
        String why = code.isPresent() ? null : "the supervisor (pid " + s.supervisorPid() + ") ended without recording an exit status";
        return s.exited(code.orElse(EXIT_UNKNOWN), oom, why, Instant.now().toString());
    }

    /**
     * {@code run --rm} once its supervisor has been reaped: the final state is read as {@link #refresh} reads it, and
     * the container removed under the same lock. The final state is returned, not written: a reader that takes the
     * lock finds the container gone, one that does not could as well have read the running state a moment earlier,
     * and writing a file only to delete it was about half of the removal's time (encoding the JSON, and ext4's
     * write-out of a file renamed over another, which its deletion then waits for).
     */
    private ContainerState removeExited(ContainerState s) {
        ContainerState done = s;
        if (s.status() == ContainerStatus.RUNNING) {
            done = exited(s, readExit(store.dir(s.id()).resolve("exit")));
        }
        cgroups.remove(s.id());
        store.deleteDir(s.id());
        return done;
    }

    private static Optional<Integer> readExit(Path exit) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(exit).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isAlive(int pid) {
        if (pid <= 0) {
            return false;
        }
        // A zombie still counts as alive to kill(0); the stat state tells them apart.
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
