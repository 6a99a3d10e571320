package dev.berth.net.service;

import java.util.List;

/** What makes the node's Services real: given every Service with its endpoints, it puts all their rules in place. */
public interface ServiceProxy {

    /** Makes the rules those of {@code services} alone, whole and idempotent; no Service left removes them all. */
    void sync(List<ServiceEndpoints> services);

    /** A node without Service rules (e.g. a test of the controllers, or the pods' network disabled). */
    ServiceProxy NONE = services -> { };
}
