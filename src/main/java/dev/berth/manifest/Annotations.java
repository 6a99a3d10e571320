package dev.berth.manifest;

/** The annotations through which users steer berth per object. */
public final class Annotations {

    /** "false" keeps an object on the node when its manifest is deleted. */
    public static final String PRUNE = "berth.dev/prune";
    /** "warn" reports drift on an object instead of correcting it. */
    public static final String DRIFT = "berth.dev/drift";

    private Annotations() {}
}
