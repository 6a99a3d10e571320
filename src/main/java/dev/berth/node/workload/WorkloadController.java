package dev.berth.node.workload;

import java.time.Instant;
import java.util.List;

/**
 * Turns one workload object into pods, level-triggered: given the object and the pods it owns now, decide the
 * next step. Pure, so every rule is unit-tested without a node; a crash between two decisions loses nothing.
 */
public interface WorkloadController {

    /** @param owned the workload's pods, including finished and terminating ones, oldest first */
    WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now);
}
