package dev.berth.doctor;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every group of checks, in order, and gathers their findings into one report. */
public final class Doctor {

    private static final Logger LOG = LoggerFactory.getLogger(Doctor.class);
    private final List<CheckGroup> groups;

    public Doctor(List<CheckGroup> groups) {
        this.groups = List.copyOf(groups);
    }

    /** Every group runs: one that fails unexpectedly is a finding of its own, not the end of the report. */
    public Report run() {
        List<Check> checks = new ArrayList<>();
        for (CheckGroup group : groups) {
            try {
                checks.addAll(group.run());
            } catch (RuntimeException e) {
                LOG.debug("checking {} failed", group.topic(), e);
                checks.add(Check.error(group.topic(), "could not be checked: " + e.getMessage(),
                        "berth doctor -v shows where the check failed"));
            }
        }
        return new Report(checks);
    }
}
