package dev.berth.node.workload;

import dev.berth.core.ResourceKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Starts a CronJob's runs at its schedule's times, in its {@code timeZone}, and drives each run as a Job
 * ({@link JobRun}). A run has no Job object on the node: it is an entry in the memo plus its pods, labelled
 * {@code job-name=<cronjob>-<scheduled time in epoch minutes>} as Kubernetes names a CronJob's Jobs. The memo
 * entry is what makes a run exist, so pods of a run it no longer lists (replaced, or past the history limits)
 * are only waiting to be removed.
 *
 * <p>As in Kubernetes, a time skipped by {@code concurrencyPolicy: Forbid} or {@code suspend} stays due: it runs
 * once nothing blocks it any more, unless {@code startingDeadlineSeconds} has passed by then.
 */
public final class CronJobController implements WorkloadController {

    /** Set on each run's pods: the run's scheduled time as an ISO instant. */
    public static final String SCHEDULED_AT = "berth.dev/scheduled-at";
    static final String LAST_SCHEDULE_TIME = "lastScheduleTime";
    /** The runs that exist, as comma-separated epoch minutes; each has its {@link JobRun.State} under "run.N.". */
    static final String RUNS = "runs";

    @Override
    public WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now) {
        CronJobSpec spec = cronJob(workload).getSpec();
        Map<Long, JobRun.State> runs = readRuns(workload.memo());
        Map<Long, List<PodView>> podsByRun = new HashMap<>();
        List<String> delete = new ArrayList<>();
        for (PodView pod : owned) {
            String scheduledAt = pod.annotations().get(SCHEDULED_AT);
            Long run = scheduledAt == null ? null : minutes(Instant.parse(scheduledAt));
            if (run != null && runs.containsKey(run)) {
                podsByRun.computeIfAbsent(run, r -> new ArrayList<>()).add(pod);
            } else if (!pod.terminating()) {
                delete.add(pod.id());
            }
        }
        // Started runs go on whatever the schedule says now: suspending or breaking it only stops new ones.
        TreeMap<Long, JobRun.Step> steps = new TreeMap<>();
        runs.forEach((run, state) -> steps.put(run, step(workload, run, podsOf(podsByRun, run), state, now)));

        CronSchedule schedule = null;
        Status problem = null;
        try {
            schedule = CronSchedule.parse(spec.getSchedule(), spec.getTimeZone());
        } catch (IllegalArgumentException e) {
            problem = new Status(Health.DEGRADED, e.getMessage());
        }
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        String remembered = workload.memo().get(LAST_SCHEDULE_TIME);
        // A new CronJob starts counting now: times before it was applied are not missed.
        Instant lastSchedule = remembered == null ? now : Instant.parse(remembered);
        if (schedule != null && remembered != null && !suspended) {
            Optional<Instant> due = due(schedule, spec.getStartingDeadlineSeconds(), lastSchedule, now);
            if (due.isPresent() && start(workload, spec.getConcurrencyPolicy(), due.get(), steps, podsByRun, delete,
                    now)) {
                lastSchedule = due.get();
            }
        }
        pruneHistory(spec, steps, podsByRun, delete);
        Instant nextRun = schedule == null || suspended
                ? null
                : schedule.nextAfter(now.atZone(schedule.zone())).map(ZonedDateTime::toInstant).orElse(null);
        Status status = problem != null ? problem
                : suspended ? new Status(Health.SUSPENDED, "Suspended")
                : status(steps, nextRun);
        return decision(steps, delete, lastSchedule, earliest(steps, nextRun), status);
    }

    private record Status(Health health, String message) {}

    /**
     * Starts the run due at {@code scheduled} unless {@code Forbid} holds it back (then it stays due).
     *
     * @return whether it started
     */
    private static boolean start(Workload workload, String concurrencyPolicy, Instant scheduled,
                                 TreeMap<Long, JobRun.Step> steps, Map<Long, List<PodView>> podsByRun,
                                 List<String> delete, Instant now) {
        List<Long> active = steps.entrySet().stream().filter(e -> !e.getValue().state().finished())
                .map(Map.Entry::getKey).toList();
        if ("Forbid".equals(concurrencyPolicy) && !active.isEmpty()) {
            return false;
        }
        if ("Replace".equals(concurrencyPolicy)) {
            // Kubernetes deletes the running Job, finished pods and all.
            for (Long run : active) {
                steps.remove(run);
                delete.addAll(stoppable(podsOf(podsByRun, run)));
            }
        }
        long run = minutes(scheduled);
        steps.put(run, step(workload, run, List.of(), JobRun.State.NEW, now));
        return true;
    }

    /** The newest active run shows progress; otherwise the newest finished run tells how things went. */
    private static Status status(TreeMap<Long, JobRun.Step> steps, Instant nextRun) {
        for (Map.Entry<Long, JobRun.Step> run : steps.descendingMap().entrySet()) {
            if (!run.getValue().state().finished()) {
                return new Status(Health.PROGRESSING, "run " + scheduledAt(run.getKey()) + ": "
                        + run.getValue().message());
            }
        }
        if (steps.isEmpty()) {
            return new Status(Health.HEALTHY, nextRun == null ? "the schedule never fires" : "next run " + nextRun);
        }
        JobRun.State last = steps.lastEntry().getValue().state();
        boolean failed = JobRun.FAILED.equals(last.condition());
        return new Status(failed ? Health.DEGRADED : Health.HEALTHY,
                "last run " + scheduledAt(steps.lastKey()) + ": " + (failed ? last.reason() : JobRun.COMPLETE));
    }

    private static WorkloadDecision decision(TreeMap<Long, JobRun.Step> steps, List<String> delete,
                                             Instant lastSchedule, Instant wakeAt, Status status) {
        Map<String, String> memo = new HashMap<>();
        memo.put(LAST_SCHEDULE_TIME, lastSchedule.toString());
        if (wakeAt != null) {
            memo.put(JobController.NEXT_DECISION_AT, wakeAt.toString());
        }
        if (!steps.isEmpty()) {
            memo.put(RUNS, steps.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        steps.forEach((run, step) -> step.state().write(memo, "run." + run + "."));
        List<Pod> create = new ArrayList<>();
        List<String> allDeletes = new ArrayList<>(delete);
        for (JobRun.Step step : steps.values()) {
            create.addAll(step.create());
            allDeletes.addAll(step.delete());
        }
        return new WorkloadDecision(create, allDeletes, status.health(), status.message(), memo);
    }

    /**
     * The latest fire time after the last scheduled one and within {@code startingDeadlineSeconds}: after a
     * downtime only the latest missed run starts, as in Kubernetes.
     */
    private static Optional<Instant> due(CronSchedule schedule, Long startingDeadlineSeconds, Instant last,
                                         Instant now) {
        Instant after = last;
        if (startingDeadlineSeconds != null && now.minusSeconds(startingDeadlineSeconds).isAfter(after)) {
            after = now.minusSeconds(startingDeadlineSeconds);
        }
        ZonedDateTime end = now.atZone(schedule.zone());
        // Widen a window back from now until it holds a fire time, rather than walking every fire time of a long
        // downtime one by one (a year of a one-minute schedule is half a million).
        for (Duration window = Duration.ofMinutes(1); ; window = window.multipliedBy(2)) {
            boolean whole = !now.minus(window).isAfter(after);
            ZonedDateTime from = (whole ? after : now.minus(window)).atZone(schedule.zone());
            List<ZonedDateTime> times = schedule.fireTimesBetween(from, end, Integer.MAX_VALUE);
            if (!times.isEmpty()) {
                return Optional.of(times.get(times.size() - 1).toInstant());
            }
            if (whole) {
                return Optional.empty();
            }
        }
    }

    /** Deletes the pods of finished runs beyond the history limits, oldest first, and forgets those runs. */
    private static void pruneHistory(CronJobSpec spec, TreeMap<Long, JobRun.Step> steps,
                                     Map<Long, List<PodView>> podsByRun, List<String> delete) {
        int keepComplete = spec.getSuccessfulJobsHistoryLimit() == null ? 3 : spec.getSuccessfulJobsHistoryLimit();
        int keepFailed = spec.getFailedJobsHistoryLimit() == null ? 1 : spec.getFailedJobsHistoryLimit();
        for (Long run : new ArrayList<>(steps.descendingKeySet())) {
            JobRun.State state = steps.get(run).state();
            if (!state.finished()) {
                continue;
            }
            boolean kept = JobRun.COMPLETE.equals(state.condition()) ? keepComplete-- > 0 : keepFailed-- > 0;
            if (!kept) {
                steps.remove(run);
                delete.addAll(stoppable(podsOf(podsByRun, run)));
            }
        }
    }

    private static JobRun.Step step(Workload workload, long run, List<PodView> pods, JobRun.State state,
                                    Instant now) {
        ResourceKey key = workload.manifest().key();
        String jobName = key.name() + "-" + run;
        Map<String, String> annotations = Map.of(SCHEDULED_AT, scheduledAt(run).toString());
        JobRun jobRun = new JobRun(JobRun.Spec.of(jobSpec(workload)),
                () -> JobRun.newPod(key, jobSpec(workload).getTemplate(), jobName, annotations));
        return jobRun.decide(pods, state, now);
    }

    private static Map<Long, JobRun.State> readRuns(Map<String, String> memo) {
        Map<Long, JobRun.State> runs = new TreeMap<>();
        Arrays.stream(memo.getOrDefault(RUNS, "").split(",")).filter(s -> !s.isEmpty()).map(Long::valueOf)
                .forEach(run -> runs.put(run, JobRun.State.read(memo, "run." + run + ".")));
        return runs;
    }

    private static Instant earliest(TreeMap<Long, JobRun.Step> steps, Instant nextRun) {
        return steps.values().stream().map(JobRun.Step::wakeAt).filter(t -> t != null)
                .reduce(nextRun, (a, b) -> a == null || b.isBefore(a) ? b : a);
    }

    private static List<PodView> podsOf(Map<Long, List<PodView>> podsByRun, long run) {
        return podsByRun.getOrDefault(run, List.of());
    }

    private static List<String> stoppable(List<PodView> pods) {
        return pods.stream().filter(p -> !p.terminating()).map(PodView::id).toList();
    }

    private static long minutes(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), 60);
    }

    private static Instant scheduledAt(long run) {
        return Instant.ofEpochSecond(run * 60);
    }

    private static CronJob cronJob(Workload workload) {
        return (CronJob) workload.manifest().typed();
    }

    /** A fresh copy each call: every pod needs a template of its own. */
    private static JobSpec jobSpec(Workload workload) {
        return cronJob(workload).getSpec().getJobTemplate().getSpec();
    }
}
