package dev.berth.server;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.node.workload.CronSchedule;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A quartz cron trigger per applied CronJob, at its schedule's times in its time zone: each fire asks for a pass over
 * the node, in which the CronJob's controller starts the run that is due. A suspended CronJob or one whose schedule
 * does not parse (its status says why) has no trigger.
 */
public final class CronTriggers {

    private final Schedules schedules;
    private final Consumer<String> due;
    /** The triggers set, by CronJob, with the schedule they follow (expressions and zone). */
    private final Map<ResourceKey, String> following = new HashMap<>();
    private boolean followed;

    /** @param due told the reason each time a CronJob's schedule fires */
    public CronTriggers(Schedules schedules, Consumer<String> due) {
        this.schedules = schedules;
        this.due = due;
    }

    /** Sets the triggers for the CronJobs of {@code applied}, and removes those of CronJobs no longer applied. */
    public synchronized void follow(DesiredState applied) {
        Map<ResourceKey, CronSchedule> wanted = new HashMap<>();
        for (Manifest m : applied.manifests()) {
            if (m.key().kind().equals("CronJob")) {
                CronJobSpec spec = ((io.fabric8.kubernetes.api.model.batch.v1.CronJob) m.typed()).getSpec();
                try {
                    if (!Boolean.TRUE.equals(spec.getSuspend())) {
                        wanted.put(m.key(), CronSchedule.parse(spec.getSchedule(), spec.getTimeZone()));
                    }
                } catch (IllegalArgumentException e) {
                    // not triggered: the controller shows the CronJob Degraded with this message
                }
            }
        }
        following.keySet().removeIf(key -> {
            boolean gone = !wanted.containsKey(key) || !signature(wanted.get(key)).equals(following.get(key));
            if (gone) {
                schedules.cancel(name(key));
            }
            return gone;
        });
        wanted.forEach((key, schedule) -> {
            if (!following.containsKey(key)) {
                schedules.cron(name(key), schedule.quartzExpressions(), schedule.zone(),
                        () -> due.accept(key + " is due (" + schedule.schedule() + ")"));
                following.put(key, signature(schedule));
            }
        });
        followed = true;
    }

    /** Whether {@link #follow} was called at all. */
    public synchronized boolean following() {
        return followed;
    }

    private static String signature(CronSchedule schedule) {
        return schedule.quartzExpressions() + " " + schedule.zone();
    }

    private static String name(ResourceKey key) {
        return "cronjob " + key;
    }
}
