package dev.berth.server;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The daemon's timers on quartz: each fires a task, then re-arms itself after its interval give or take 10%, so
 * that nodes started together do not poll their git server in step.
 */
public final class Schedules implements AutoCloseable {

    private static final String TASK = "task";
    private static final String INTERVAL = "interval";

    private final Scheduler scheduler;

    public Schedules() {
        Properties config = new Properties();
        config.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "berth");
        config.setProperty("org.quartz.threadPool.threadCount", "1"); // tasks only hand work to the reconcile loop
        config.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        config.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        try {
            scheduler = new StdSchedulerFactory(config).getScheduler();
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
    }

    /** Runs {@code task} about every {@code interval}, the first time after about one interval. */
    public void every(String name, Duration interval, Runnable task) {
        JobDataMap data = new JobDataMap();
        data.put(TASK, task);
        data.put(INTERVAL, interval);
        JobDetail job = JobBuilder.newJob(Rearming.class).withIdentity(name).usingJobData(data).storeDurably().build();
        try {
            scheduler.addJob(job, false);
            scheduler.scheduleJob(triggerFor(name, interval));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code task} at every fire time of the quartz cron {@code expressions} in {@code zone}, through quartz's
     * own cron triggers; replaces what was scheduled under {@code name}. A fire time missed (the daemon was busy or
     * down) is not fired late: the task looks at what is due itself.
     */
    public void cron(String name, List<String> expressions, ZoneId zone, Runnable task) {
        cancel(name);
        JobDataMap data = new JobDataMap();
        data.put(TASK, task);
        JobDetail job = JobBuilder.newJob(Once.class).withIdentity(name).usingJobData(data).storeDurably().build();
        try {
            scheduler.addJob(job, false);
            for (int i = 0; i < expressions.size(); i++) {
                scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(name + "-" + i).forJob(name)
                        .withSchedule(CronScheduleBuilder.cronSchedule(expressions.get(i))
                                .inTimeZone(TimeZone.getTimeZone(zone)).withMisfireHandlingInstructionDoNothing())
                        .build());
            }
        } catch (SchedulerException | RuntimeException e) {
            throw new IllegalStateException("cannot schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes what was scheduled under {@code name}, with its triggers; nothing when there is none. */
    public void cancel(String name) {
        try {
            scheduler.deleteJob(JobKey.jobKey(name));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot unschedule " + name + ": " + e.getMessage(), e);
        }
    }

    static Trigger triggerFor(String name, Duration interval) {
        long millis = interval.toMillis();
        long jittered = millis + ThreadLocalRandom.current().nextLong(-millis / 10, millis / 10 + 1);
        // a fresh trigger name each time: quartz deletes the fired one after the job returns
        return TriggerBuilder.newTrigger().withIdentity(name + "-" + java.util.UUID.randomUUID()).forJob(name)
                .startAt(new Date(System.currentTimeMillis() + jittered)).build();
    }

    /** Runs the task, then schedules its own next run. */
    public static final class Rearming implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            JobDataMap data = context.getJobDetail().getJobDataMap();
            try {
                ((Runnable) data.get(TASK)).run();
            } finally {
                String name = context.getJobDetail().getKey().getName();
                try {
                    context.getScheduler().scheduleJob(triggerFor(name, (Duration) data.get(INTERVAL)));
                } catch (SchedulerException e) {
                    throw new IllegalStateException("cannot re-arm " + name + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Runs the task; its triggers say when. */
    public static final class Once implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            ((Runnable) context.getJobDetail().getJobDataMap().get(TASK)).run();
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the scheduler: " + e.getMessage(), e);
        }
    }
}
