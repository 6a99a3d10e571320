package dev.berth.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The container's first process and its privileges. Capabilities start from Docker's default set;
 * {@code capAdd}/{@code capDrop} take names with or without the {@code CAP_} prefix, and "ALL". A privileged
 * process runs without seccomp, as in Docker and containerd.
 */
public record ProcessSpec(List<String> args, List<String> env, String cwd, int uid, int gid,
                          List<Integer> additionalGids, boolean noNewPrivileges, List<String> capAdd,
                          List<String> capDrop, boolean readonlyRootfs, boolean privileged,
                          SeccompProfile seccomp) {

    public ProcessSpec {
        args = List.copyOf(args);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a container process needs at least one argument");
        }
        env = List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        additionalGids = List.copyOf(additionalGids);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        Objects.requireNonNull(seccomp, "seccomp");
    }

    /** Root, default capabilities and seccomp, no new privileges, writable root: what most tests and simple pods want. */
    public static ProcessSpec of(List<String> args, List<String> env) {
        Objects.requireNonNull(args, "args");
        return new ProcessSpec(args, env, "/", 0, 0, List.of(), true, List.of(), List.of(), false, false,
                SeccompProfile.RUNTIME_DEFAULT);
    }
}
