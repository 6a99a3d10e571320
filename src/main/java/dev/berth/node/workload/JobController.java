package dev.berth.node.workload;

import dev.berth.core.ResourceKey;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a Job's pods to completion as Kubernetes does on one node: {@code parallelism} at a time until
 * {@code completions} succeeded, replacements delayed by the failure backoff, failed past {@code backoffLimit} or
 * {@code activeDeadlineSeconds}. {@code ttlSecondsAfterFinished} is not implemented: finished Jobs stay.
 */
public final class JobController implements WorkloadController {

    /**
     * Memo key under which Job and CronJob controllers leave the ISO instant at which they next need a decision
     * even if no pod changes (a backoff ends, a deadline or a scheduled run comes); absent when nothing is due.
     */
    public static final String NEXT_DECISION_AT = "nextDecisionAt";

    @Override
    public WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now) {
        ResourceKey key = workload.manifest().key();
        JobRun run = new JobRun(JobRun.Spec.of(job(workload).getSpec()),
                () -> JobRun.newPod(key, job(workload).getSpec().getTemplate(), key.name(), Map.of()));
        JobRun.Step step = run.decide(owned, JobRun.State.read(workload.memo(), ""), now);
        Map<String, String> memo = new HashMap<>();
        step.state().write(memo, "");
        if (step.wakeAt() != null) {
            memo.put(NEXT_DECISION_AT, step.wakeAt().toString());
        }
        return new WorkloadDecision(step.create(), step.delete(), step.health(), step.message(), memo);
    }

    /** A fresh copy each call: every pod needs a template of its own. */
    private static Job job(Workload workload) {
        return (Job) workload.manifest().typed();
    }
}
