package dev.berth.runtime;

import dev.berth.core.BerthException;
import dev.berth.store.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Containers on this node: bundle + rootfs mount + conmon + runc. Holds no state in memory; everything is on disk
 * or in runc, so a new instance (after a berth restart) sees and manages the containers an old one made.
 */
public final class ContainerRuntime {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(20);
    /** Longer than conmon waits for runc create (Conmon's CREATE_TIMEOUT). */
    private static final Duration CREATE_WAIT = Duration.ofSeconds(25);
    private static final Duration RUNTIME_POLL = Duration.ofMillis(100);
    private static final String CONMON_PID_FILE = "conmon.pid";
    /** The container monitor, Debian's package conmon. */
    public static final Path CONMON = Path.of("/usr/bin/conmon");

    private final RuntimeLayout layout;
    private final Path stateRoot;
    private final OciRuntime runc;
    private final Conmon conmon;
    private final BundleBuilder bundles;
    private final Mounter mounter;
    private final Cgroups cgroups;

    /** A runtime that only looks at containers and stops them: it creates none, and finds no strays. */
    public ContainerRuntime(RuntimeLayout layout) {
        this(layout, null, observer(layout), CONMON, new BundleBuilder(), new Mounter(), new Cgroups());
    }

    /**
     * @param stateRoot the state root of the node that uses this runtime: its containers are marked with it, and only
     *                  containers so marked can be its strays; null for a runtime that creates none
     */
    public ContainerRuntime(RuntimeLayout layout, Path stateRoot) {
        this(layout, stateRoot, OciRuntimeChoice.Preference.AUTO);
    }

    /** @param runtime which OCI runtime runs the containers: crun or runc, or the one that works here */
    public ContainerRuntime(RuntimeLayout layout, Path stateRoot, OciRuntimeChoice.Preference runtime) {
        this(layout, stateRoot, runtime(layout, runtime), CONMON, new BundleBuilder(),
                new Mounter(), new Cgroups());
    }

    private static OciRuntime runtime(RuntimeLayout layout, OciRuntimeChoice.Preference preference) {
        return cli(layout, new OciRuntimeChoice(layout).choose(preference));
    }

    private static OciRuntime observer(RuntimeLayout layout) {
        return cli(layout, new OciRuntimeChoice(layout).observed());
    }

    private static OciRuntime cli(RuntimeLayout layout, OciRuntimeChoice.Choice chosen) {
        return new RuncCli(chosen.binary(), layout.ociRoot(chosen.name()));
    }

    ContainerRuntime(RuntimeLayout layout, Path stateRoot, OciRuntime runc, Path conmonBinary, BundleBuilder bundles,
                     Mounter mounter, Cgroups cgroups) {
        this.layout = layout;
        this.stateRoot = stateRoot == null ? null : stateRoot.toAbsolutePath().normalize();
        this.runc = runc;
        this.conmon = new Conmon(conmonBinary, runc);
        this.bundles = bundles;
        this.mounter = mounter;
        this.cgroups = cgroups;
    }

    /** Creates the container (not started). On failure, whatever was set up is removed again. */
    public void create(ContainerSpec spec) {
        if (stateRoot == null) {
            throw new IllegalStateException("a runtime without a state root creates no containers");
        }
        Path bundle = layout.bundle(spec.id());
        if (Files.exists(bundle)) {
            throw new ContainerException(ContainerException.Kind.ALREADY_EXISTS, spec.id(), "bundle " + bundle + " exists");
        }
        FileTrees.privateDirectory(layout.root()); // each config.json holds the container's environment, secrets too
        try {
            Files.createDirectories(bundle.resolve("rootfs"));
        } catch (IOException e) {
            throw new BerthException("cannot create bundle " + bundle + ": " + e.getMessage(), e);
        }
        // first on disk, so that a crash at any later point leaves something remove() and cleanup() can find
        new ContainerRecord(spec.id(), spec.cgroupPath(), spec.logPath(), Instant.now(), stateRoot).write(bundle);
        try {
            bundles.write(bundle, spec);
            mounter.mountAll(spec.rootfs(), bundle.resolve("rootfs"));
            conmon.create(spec.id(), monitorFiles(spec.id(), spec.logPath(), spec.logSizeMax()));
        } catch (RuntimeException e) {
            try {
                remove(spec.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    public void start(String id) {
        requireRecord(id);
        runc.start(id);
    }

    public ContainerStatus state(String id) {
        return status(requireRecord(id), null);
    }

    /**
     * The status of every container with a bundle, by id, as {@link #state} gives it, from a single {@code runc list}
     * rather than one {@code runc state} process per container. A container the list leaves out (gone from runc,
     * or a state runc could not load) is asked about alone, as {@link #state} would; one for which that fails too
     * is left out, as if it had no bundle.
     */
    public Map<String, ContainerStatus> states() {
        List<String> ids = ids();
        Map<String, RuntimeState> listed = listed(ids);
        Map<String, ContainerStatus> states = new LinkedHashMap<>();
        for (String id : ids) {
            ContainerRecord.read(layout.bundle(id)).ifPresent(record -> {
                try {
                    states.put(id, status(record, listed.get(id)));
                } catch (ContainerException e) {
                    // what state(id) would have thrown: the caller sees no such container
                }
            });
        }
        return states;
    }

    /** @param listed what {@code runc list} said of the container; null to ask {@code runc state} */
    private ContainerStatus status(ContainerRecord record, RuntimeState listed) {
        String id = record.id();
        RuntimeState.Status status;
        int pid;
        boolean forgotten = false;
        try {
            RuntimeState state = listed != null ? listed : runc.state(id);
            status = state.status();
            pid = state.pid();
        } catch (ContainerException e) {
            if (e.kind() != ContainerException.Kind.NOT_FOUND) {
                throw e;
            }
            status = RuntimeState.Status.STOPPED; // runc forgot it (deleted, or never created): nothing runs
            pid = 0;
            forgotten = true;
        }
        ExitStatus exit = ExitStatus.read(layout.exits().resolve(id)).orElse(null);
        boolean oomKilled = Files.exists(persistDir(id).resolve("oom")) || cgroups.oomKilled(record.cgroupPath());
        return new ContainerStatus(id, status, status == RuntimeState.Status.STOPPED ? 0 : pid,
                exit == null ? null : exit.exitCode(), exit == null ? null : exit.finishedAt(), oomKilled,
                record.logPath(), forgotten);
    }

    /** Every container with a bundle, oldest first; works from disk and runc alone. */
    public List<ContainerStatus> list() {
        List<ContainerRecord> records = new ArrayList<>();
        for (String id : ids()) {
            ContainerRecord.read(layout.bundle(id)).ifPresent(records::add);
        }
        records.sort(Comparator.comparing(ContainerRecord::createdAt));
        Map<String, RuntimeState> listed = listed(records.stream().map(ContainerRecord::id).toList());
        return records.stream().map(record -> status(record, listed.get(record.id()))).toList();
    }

    /** runc's own list of its containers, by id: one process for all of them, and none when there are no bundles. */
    private Map<String, RuntimeState> listed(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, RuntimeState> listed = new HashMap<>();
        for (RuntimeState state : runc.list()) {
            listed.put(state.id(), state);
        }
        return listed;
    }

    /** SIGTERM, then SIGKILL once {@code grace} has passed; returns when the container has stopped. */
    public ContainerStatus stop(String id, Duration grace) {
        requireRecord(id);
        // at the end of the grace period SIGKILL follows anyway: no need to ask runc whether it is still running
        if (signal(id, "TERM") && !awaitStopped(id, grace, false)) {
            signal(id, "KILL");
            if (!awaitStopped(id, KILL_WAIT, true)) {
                throw new ContainerException(ContainerException.Kind.FAILED, id, "still running after SIGKILL");
            }
        }
        awaitExitRecorded(id);
        return state(id);
    }

    /** Deletes the container whatever its state, unmounts its rootfs, removes its cgroup and bundle. */
    public void remove(String id) {
        Path bundle = layout.bundle(id);
        ContainerRecord record = ContainerRecord.read(bundle).orElse(null);
        try {
            runc.delete(id, true);
        } catch (ContainerException e) {
            if (e.kind() != ContainerException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        mounter.unmountAllUnder(bundle);
        if (record != null) {
            removeCgroup(id, record.cgroupPath());
        }
        deleteTree(bundle);
        deleteTree(layout.exits().resolve(id));
    }

    /**
     * Removes what a crash left behind: this node's bundles that runc does not know (a create that never finished),
     * with their mounts. Containers that exist, running or stopped, are kept; berth may have restarted while they ran.
     */
    public List<String> cleanupOrphans() {
        List<String> removed = new ArrayList<>();
        for (String id : owned(ids())) {
            if (!knownToRunc(id)) {
                awaitMonitorSettled(id);
            }
            if (!knownToRunc(id)) {
                remove(id);
                removed.add(id);
            }
        }
        return removed;
    }

    /**
     * This node's containers that {@code known} does not name, running or not, and bundles runc never finished
     * creating: what a crash left, or what was made behind berth's back under its runtime root. Another state root's
     * containers (on a shared run root) are never among them. Asks nothing of runc.
     */
    public List<String> strays(java.util.Set<String> known) {
        return owned(ids()).stream().filter(id -> !known.contains(id)).toList();
    }

    /**
     * Removes a stray whatever its state. A bundle runc does not know may be a create still under way, by a conmon
     * that a killed berth left running: it is waited for, then removed.
     */
    public void removeStray(String id) {
        if (!knownToRunc(id)) {
            awaitMonitorSettled(id);
        }
        remove(id);
    }

    /** The ids whose record names this node's state root; records without one are not provably this node's. */
    private List<String> owned(List<String> ids) {
        if (stateRoot == null) {
            return List.of();
        }
        List<String> owned = new ArrayList<>();
        for (String id : ids) {
            try {
                ContainerRecord.read(layout.bundle(id)).filter(r -> stateRoot.equals(r.stateRoot()))
                        .ifPresent(r -> owned.add(id));
            } catch (BerthException e) {
                // a corrupt record tells no owner: not provably this node's
            }
        }
        return owned;
    }

    /** False only when runc says it has no such container. */
    private boolean knownToRunc(String id) {
        try {
            runc.state(id);
            return true;
        } catch (ContainerException e) {
            return e.kind() != ContainerException.Kind.NOT_FOUND;
        }
    }

    /**
     * A bundle runc does not know may be a create still under way: berth killed while conmon ran runc create,
     * which goes on without it. Removed meanwhile, it would leave runc a container (and a process in a cgroup)
     * that no bundle names. conmon writes its pid file before it runs runc create and lives as long as the
     * create and the container; wait while it runs and runc does not know the container yet.
     */
    private void awaitMonitorSettled(String id) {
        Path conmonPidFile = layout.bundle(id).resolve(CONMON_PID_FILE);
        long deadline = System.nanoTime() + CREATE_WAIT.toNanos();
        while (Conmon.monitors(conmonPidFile, id) && !knownToRunc(id) && System.nanoTime() < deadline) {
            Conmon.sleep(POLL);
        }
    }

    /** Tells {@code onExit} of each container exit from now on (see {@link ExitWatch}). */
    public ExitWatch watchExits(java.util.function.Consumer<String> onExit) {
        return new ExitWatch(layout, onExit);
    }

    /** Runs a command in a running container, e.g. for exec probes. */
    public OciRuntime.ExecResult exec(String id, List<String> args, Duration timeout) {
        requireRecord(id);
        return runc.exec(id, args, timeout);
    }

    private Conmon.MonitorFiles monitorFiles(String id, Path log, long logSizeMax) {
        Path bundle = layout.bundle(id);
        return new Conmon.MonitorFiles(bundle, bundle.resolve("pid"), bundle.resolve(CONMON_PID_FILE),
                bundle.resolve("runc.log"), persistDir(id), layout.exits(), layout.sockets(), log, logSizeMax);
    }

    /** conmon's per-container directory: it writes "exit" and, after an OOM kill it noticed, "oom" there. */
    private Path persistDir(String id) {
        return layout.bundle(id).resolve("monitor");
    }

    private ContainerRecord requireRecord(String id) {
        return ContainerRecord.read(layout.bundle(id)).orElseThrow(() ->
                new ContainerException(ContainerException.Kind.NOT_FOUND, id, "no such container"));
    }

    /** False when the container was not running, so there is nothing to wait for. */
    private boolean signal(String id, String signal) {
        try {
            runc.kill(id, signal);
            return true;
        } catch (ContainerException e) {
            if (e.kind() == ContainerException.Kind.NOT_RUNNING) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Watches for conmon's exit file, which conmon writes once it has reaped the container's process: a file read per
     * poll. runc ({@code runc state}, a process of its own) is asked as soon as conmon is gone, since then no exit
     * file will come, and at the deadline when {@code askAtDeadline}; otherwise a live conmon that wrote no exit file
     * means a running container.
     */
    private boolean awaitStopped(String id, Duration timeout, boolean askAtDeadline) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ExitStatus.read(layout.exits().resolve(id)).isPresent()) {
                return true;
            }
            boolean due = System.nanoTime() - deadline >= 0;
            boolean conmonGone = !Conmon.alive(layout.bundle(id).resolve(CONMON_PID_FILE));
            if (due && !askAtDeadline && !conmonGone) {
                return false;
            }
            if (due || conmonGone) {
                return state(id).status() == RuntimeState.Status.STOPPED
                        || (!due && awaitStoppedAskingRuntime(id, deadline));
            }
            Conmon.sleep(POLL);
        }
    }

    /** Without conmon: asks runc every {@link #RUNTIME_POLL} until the deadline. */
    private boolean awaitStoppedAskingRuntime(String id, long deadline) {
        while (System.nanoTime() - deadline < 0) {
            Conmon.sleep(RUNTIME_POLL);
            if (state(id).status() == RuntimeState.Status.STOPPED) {
                return true;
            }
        }
        return false;
    }

    /**
     * runc reports "stopped" a moment before conmon has reaped the process and written its exit file; without
     * conmon no file will come.
     */
    private void awaitExitRecorded(String id) {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (ExitStatus.read(layout.exits().resolve(id)).isEmpty() && System.nanoTime() < deadline && Conmon.alive(layout.bundle(id).resolve(CONMON_PID_FILE))) {
            Conmon.sleep(POLL);
        }
    }

    /** On v1 a cgroup cannot go while a process is still leaving it (EBUSY); wait for it to empty. */
    private void removeCgroup(String id, String cgroupPath) {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (!cgroups.remove(cgroupPath)) {
            if (System.nanoTime() > deadline) {
                throw new ContainerException(ContainerException.Kind.FAILED, id, "cgroup " + cgroupPath + " still has processes");
            }
            Conmon.sleep(POLL);
        }
    }

    private List<String> ids() {
        if (!Files.isDirectory(layout.bundles())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(layout.bundles())) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + layout.bundles() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or directory tree; never follows symlinks, and never descends into a mount left behind. */
    private void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!MountTable.mountPointsUnder(path).isEmpty()) {
            throw new BerthException("refusing to delete " + path + ": something is still mounted under it");
        }
        try {
            FileTrees.deleteRecursively(path);
        } catch (IOException e) {
            throw new BerthException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
