package dev.berth.scheduler;

/** Whether a pending pod may evict lower-priority pods to make room, as a Pod's {@code preemptionPolicy} says. */
public enum PreemptionPolicy { PREEMPT_LOWER_PRIORITY, NEVER }
