package dev.berth.cli;

import dev.berth.doctor.Report;
import dev.berth.plan.PlanReport;

/** berth's exit codes, terraform-style so CI can branch on them; mapped here and nowhere else. */
public final class ExitCodes {

    /** Valid, and nothing to change. */
    public static final int OK = 0;
    /** Invalid input or any error. */
    public static final int ERROR = 1;
    /** Valid, with changes to make. */
    public static final int CHANGES = 2;
    /** A policy bound with validationActions [Deny] failed. */
    public static final int DENIED = 3;
    /** {@code berth doctor}: nothing berth needs is missing, but something is worth a look. */
    public static final int WARNINGS = 2;

    private ExitCodes() {}

    public static int of(PlanReport report) {
        if (!report.errors().isEmpty()) {
            return ERROR;
        }
        if (report.denied()) {
            return DENIED;
        }
        return report.hasChanges() ? CHANGES : OK;
    }

    /** {@code berth doctor}: 1 when something berth needs is missing, 2 with warnings only. */
    public static int of(Report report) {
        return switch (report.worst()) {
            case ERROR -> ERROR;
            case WARN -> WARNINGS;
            case OK -> OK;
        };
    }
}
