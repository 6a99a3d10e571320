package dev.berth.cli;

import dev.berth.sync.Applier;
import dev.berth.sync.Convergence;

/** Prints an apply's plan and how it ended, and maps it to an exit code. */
final class ApplyOutput {

    private ApplyOutput() {}

    static int print(Applier.Outcome outcome, OutputOptions output, boolean quiet) {
        if (outcome.report() != null) {
            output.print(outcome.report(), quiet);
            if (!outcome.report().errors().isEmpty()) {
                return ExitCodes.ERROR;
            }
            if (outcome.report().denied()) {
                return ExitCodes.DENIED;
            }
        }
        Convergence.Result result = outcome.convergence();
        if (result != null) {
            result.failures().forEach((key, error) -> System.err.println("berth: " + key + " failed: " + error));
            result.unhealthy().forEach((key, health) -> System.err.println("berth: " + key + " is " + health));
            if (result.timedOut()) {
                System.err.println("berth: gave up waiting: the node did not converge in time");
            }
        }
        if (!quiet) {
            System.out.println(outcome.ok() ? "Applied: the node is converged." : "Not converged: see above; `berth status` shows each object.");
            if (result != null) {
                System.err.println("berth: note: apply converges the node once; container restarts, probes, Job retries"
                        + " and CronJob schedules go on only while `berth watch` runs");
            }
        }
        return outcome.ok() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
