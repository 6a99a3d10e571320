package dev.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kubernetes' conversion of a sysctl name to its dotted spelling (component-helpers' sysctl name rules). */
class SysctlNamesTest {

    @Test
    void aDottedNameStaysAsItIs() {
        assertEquals("kernel.shm_rmid_forced", SysctlNames.dotted("kernel.shm_rmid_forced"));
        assertEquals("net.ipv4.conf.eno2/100.rp_filter", SysctlNames.dotted("net.ipv4.conf.eno2/100.rp_filter"),
                "the first separator is a dot, so a slash belongs to a part");
        assertEquals("kernel", SysctlNames.dotted("kernel"));
    }

    @Test
    void inASlashedNameSlashesBecomeDotsAndDotsSlashes() {
        assertEquals("kernel.shm_rmid_forced", SysctlNames.dotted("kernel/shm_rmid_forced"));
        assertEquals("net.ipv4.conf.eno2/100.rp_filter", SysctlNames.dotted("net/ipv4/conf/eno2.100/rp_filter"));
    }
}
