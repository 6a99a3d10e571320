package dev.berth.node.probe;

import java.time.Instant;

/**
 * What berth knows about one probe of one container instance.
 *
 * @param passing   the standing result: started, alive or ready. It changes only when successes or failures reach
 *                  their threshold, so a single failure does not make a ready container unready
 * @param successes successful runs in a row; 0 after a failure
 * @param failures  failed runs in a row, timeouts included; 0 after a success
 * @param lastRunAt when the probe last ran; null before its first run
 * @param output    what the last run said: the command's output, or why it could not run; "" before the first run
 */
public record ProbeState(boolean passing, int successes, int failures, Instant lastRunAt, String output) {}
