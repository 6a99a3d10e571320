package dev.berth.node.probe;

import dev.berth.runtime.OciRuntime;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command in a running container: the node passes {@code containerRuntime::exec}, tests a fake. As
 * {@code RuncCli} does, a command that outlives {@code timeout} is reported by throwing a BerthException.
 */
@FunctionalInterface
public interface ProbeExec {

    OciRuntime.ExecResult exec(String containerId, List<String> command, Duration timeout);
}
