package dev.berth.cli;

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
}
