package dev.berth.manifest;

/** The annotations through which users steer berth per object. */
public final class Annotations {

    /** "false" keeps an object on the node when its manifest is deleted. */
    public static final String PRUNE = "berth.dev/prune";
    /** "warn" reports drift on an object instead of correcting it. */
    public static final String DRIFT = "berth.dev/drift";
    /** Set by berth on each pod it runs: the object that owns it, as {@code Kind/namespace/name}. */
    public static final String OWNER = "berth.dev/owner";
    /**
     * Set by berth on pod templates: a hash of the ConfigMaps and Secrets the pod reads, so that a config commit
     * changes the template and rolls the pods.
     */
    public static final String CONFIG_HASH = "berth.dev/config-hash";

    private Annotations() {}
}
