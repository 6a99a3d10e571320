package dev.berth.doctor;

import java.util.List;

/** A few related checks, made together because they read the same things. */
public interface CheckGroup {

    /** What the group checks, for the line that says the group itself failed. */
    String topic();

    List<Check> run();
}
