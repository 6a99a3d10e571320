package dev.berth.node.workload;

import dev.berth.core.ResourceKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One Job's pods driven with Kubernetes Job semantics: a Job of {@link JobController}, or one scheduled run of a
 * CronJob. There is no Job status on the node, so what Kubernetes keeps there (start time, finished condition,
 * when failures were seen) lives in the workload's memo as a {@link State}.
 *
 * <p>Terminating pods are being stopped on purpose (suspend, deadline, parallelism lowered): they are neither
 * successes nor failures, but one still running keeps its slot until it is gone, so no replacement overlaps it.
 */
final class JobRun {

    static final String JOB_NAME = "job-name";
    static final String BATCH_JOB_NAME = "batch.kubernetes.io/job-name";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    /** The Job controller's pod backoff: 10 s after the first failure, doubling, at most 6 minutes. */
    private static final Duration BACKOFF_INITIAL = Duration.ofSeconds(10);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    /**
     * A Job spec with Kubernetes' defaults filled in.
     *
     * @param completions 1 when unset: Kubernetes would run a work queue (parallel pods until one succeeds and all
     *                    have finished), but berth's manifest defaults set 1 anyway, so such a Job completes at
     *                    its first success
     * @param onFailure   restartPolicy OnFailure: failures are container restarts, which count towards the limit
     */
    record Spec(int completions, int parallelism, int backoffLimit, Long activeDeadlineSeconds, boolean suspend,
                boolean onFailure) {

        static Spec of(JobSpec spec) {
            PodTemplateSpec template = spec.getTemplate();
            boolean onFailure = template != null && template.getSpec() != null
                    && "OnFailure".equals(template.getSpec().getRestartPolicy());
            return new Spec(orDefault(spec.getCompletions(), 1), orDefault(spec.getParallelism(), 1),
                    orDefault(spec.getBackoffLimit(), 6), spec.getActiveDeadlineSeconds(),
                    Boolean.TRUE.equals(spec.getSuspend()), onFailure);
        }

        private static int orDefault(Integer value, int fallback) {
            return value == null ? fallback : value;
        }
    }

    /**
     * What a run remembers between decisions.
     *
     * @param startTime     when its first pod was created (reset by suspending, as in Kubernetes); null before
     * @param condition     {@link #COMPLETE} or {@link #FAILED} once finished, for good; null while running
     * @param failuresSeen  how many failed pods the last decision saw
     * @param lastFailureAt when a decision first saw that many: PodView has no finish time, so backoff counts
     *                      from here
     */
    record State(Instant startTime, String condition, String reason, int failuresSeen, Instant lastFailureAt) {

        static final State NEW = new State(null, null, null, 0, null);

        static State read(Map<String, String> memo, String prefix) {
            return new State(instant(memo.get(prefix + "startTime")), memo.get(prefix + "condition"),
                    memo.get(prefix + "reason"), Integer.parseInt(memo.getOrDefault(prefix + "failures", "0")),
                    instant(memo.get(prefix + "lastFailureAt")));
        }

        void write(Map<String, String> memo, String prefix) {
            putIfSet(memo, prefix + "startTime", startTime);
            putIfSet(memo, prefix + "condition", condition);
            putIfSet(memo, prefix + "reason", reason);
            putIfSet(memo, prefix + "failures", failuresSeen == 0 ? null : failuresSeen);
            putIfSet(memo, prefix + "lastFailureAt", lastFailureAt);
        }

        boolean finished() {
            return condition != null;
        }

        private State seeing(int failures, Instant now) {
            Instant at = failures > failuresSeen ? now : lastFailureAt;
            return new State(startTime, condition, reason, failures, at);
        }

        private State startedAt(Instant time) {
            return new State(time, condition, reason, failuresSeen, lastFailureAt);
        }

        private State finishedAs(String newCondition, String newReason) {
            return new State(startTime, newCondition, newReason, failuresSeen, lastFailureAt);
        }

        private static Instant instant(String text) {
            return text == null ? null : Instant.parse(text);
        }

        private static void putIfSet(Map<String, String> memo, String key, Object value) {
            if (value != null) {
                memo.put(key, value.toString());
            }
        }
    }

    /** @param wakeAt when this run next needs a decision by the clock (backoff over, deadline); null if never */
    record Step(List<Pod> create, List<String> delete, Health health, String message, State state, Instant wakeAt) {}

    private final Spec spec;
    private final Supplier<Pod> newPod;

    /** @param newPod makes one more pod for this run, from a fresh copy of the template */
    JobRun(Spec spec, Supplier<Pod> newPod) {
        this.spec = spec;
        this.newPod = newPod;
    }

    /** A pod named {@code <job>-<suffix>} with the labels Kubernetes puts on a Job's pods. */
    static Pod newPod(ResourceKey owner, PodTemplateSpec template, String jobName, Map<String, String> annotations) {
        return PodFactory.fromTemplate(owner, template, jobName + "-" + PodFactory.suffix(),
                Map.of(JOB_NAME, jobName, BATCH_JOB_NAME, jobName), annotations);
    }

    /** @param pods this run's pods, oldest first */
    Step decide(List<PodView> pods, State remembered, Instant now) {
        List<PodView> counted = pods.stream().filter(p -> !p.terminating()).toList();
        List<PodView> active = counted.stream().filter(p -> !p.phase().finished()).toList();
        long stopping = pods.stream().filter(p -> p.terminating() && !p.phase().finished()).count();
        int succeeded = count(counted, PodPhase.SUCCEEDED);
        State state = remembered.seeing(count(counted, PodPhase.FAILED), now);
        if (state.finished()) {
            return finished(state, active, succeeded);
        }
        if (spec.suspend()) {
            return new Step(List.of(), ids(active), Health.SUSPENDED, "Suspended", state.startedAt(null), null);
        }
        String failure = failure(state, active, now);
        if (failure != null) {
            return finished(state.finishedAs(FAILED, failure), active, succeeded);
        }
        if (succeeded >= spec.completions()) {
            return finished(state.finishedAs(COMPLETE, null), active, succeeded);
        }
        return running(state, active, active.size() + (int) stopping, succeeded, now);
    }

    private Step running(State state, List<PodView> active, int occupied, int succeeded, Instant now) {
        int wanted = Math.min(spec.parallelism(), spec.completions() - succeeded);
        List<Pod> create = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        Instant retryAt = retryAt(state);
        if (occupied > wanted) {
            // Parallelism was lowered: stop the newest pods (pods come oldest first), which did the least work.
            for (int i = active.size() - 1; i >= 0 && delete.size() < occupied - wanted; i--) {
                delete.add(active.get(i).id());
            }
        } else if (occupied < wanted && (retryAt == null || !now.isBefore(retryAt))) {
            for (int i = occupied; i < wanted; i++) {
                create.add(newPod.get());
            }
            if (state.startTime() == null) {
                state = state.startedAt(now);
            }
        }
        Instant wakeAt = earliest(deadline(state), occupied < wanted && create.isEmpty() ? retryAt : null);
        int nowActive = active.size() + create.size() - delete.size();
        String message = succeeded + "/" + spec.completions() + " succeeded, " + nowActive + " active"
                + (state.failuresSeen() > 0 ? ", " + state.failuresSeen() + " failed" : "");
        return new Step(create, delete, Health.PROGRESSING, message, state, wakeAt);
    }

    /** A finished run keeps its finished pods but no running one (Kubernetes stops them too). */
    private Step finished(State state, List<PodView> active, int succeeded) {
        boolean complete = COMPLETE.equals(state.condition());
        return new Step(List.of(), ids(active), complete ? Health.HEALTHY : Health.DEGRADED,
                complete ? "Complete " + succeeded + "/" + spec.completions() : state.reason(), state, null);
    }

    private String failure(State state, List<PodView> active, Instant now) {
        int restarts = spec.onFailure() ? active.stream().mapToInt(PodView::restarts).sum() : 0;
        if (state.failuresSeen() + restarts > spec.backoffLimit()) {
            return BACKOFF_LIMIT_EXCEEDED;
        }
        Instant deadline = deadline(state);
        return deadline != null && !now.isBefore(deadline) ? DEADLINE_EXCEEDED : null;
    }

    private Instant deadline(State state) {
        return state.startTime() == null || spec.activeDeadlineSeconds() == null
                ? null
                : state.startTime().plusSeconds(spec.activeDeadlineSeconds());
    }

    private static Instant retryAt(State state) {
        if (state.failuresSeen() == 0 || state.lastFailureAt() == null) {
            return null;
        }
        // 10 s * 2^6 already passes the cap; the shift stays small for any failure count.
        Duration delay = BACKOFF_INITIAL.multipliedBy(1L << Math.min(state.failuresSeen() - 1, 6));
        return state.lastFailureAt().plus(delay.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }

    private static int count(List<PodView> pods, PodPhase phase) {
        return (int) pods.stream().filter(p -> p.phase() == phase).count();
    }

    private static List<String> ids(List<PodView> pods) {
        return pods.stream().map(PodView::id).toList();
    }
}
