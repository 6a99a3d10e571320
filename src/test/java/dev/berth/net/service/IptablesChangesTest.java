package dev.berth.net.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one iptables-restore changes, from what iptables-save showed: berth's chains alone. */
class IptablesChangesTest {

    private static final ServiceEndpoints WEB = new ServiceEndpoints("shop", "web", "10.96.0.10", List.of(
            new ServiceEndpoints.Port("", "TCP", 80, 0, List.of(new ServiceEndpoints.Endpoint("p", "10.88.0.2", 8080)))));

    private static final String EMPTY = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :CNI-FORWARD - [0:0]
            -A FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            COMMIT
            """;

    @Test
    void aFirstSyncAddsTheJumpsFromTheBuiltInChains() {
        String restore = IptablesChanges.restore(IptablesRules.render(List.of(WEB)), IptablesChanges.parse(EMPTY));
        for (String jump : List.of(
                "-I PREROUTING -m comment --comment \"berth service portals\" -j BERTH-SERVICES",
                "-I OUTPUT -m comment --comment \"berth service portals\" -j BERTH-SERVICES",
                "-I POSTROUTING -m comment --comment \"berth postrouting rules\" -j BERTH-POSTROUTING",
                "-I INPUT -m conntrack --ctstate NEW -m comment --comment \"berth externally-visible service portals\""
                        + " -j BERTH-EXTERNAL-SERVICES",
                "-I FORWARD -m conntrack --ctstate NEW -m comment --comment \"berth service portals\" -j BERTH-SERVICES",
                "-I INPUT -m comment --comment \"berth firewall\" -j BERTH-FIREWALL")) {
            assertTrue(restore.contains(jump + "\n"), jump + " in\n" + restore);
        }
        assertFalse(restore.contains("CNI-"), "others' chains are left alone");
        assertFalse(restore.contains("-X "));
    }

    @Test
    void jumpsPresentAreNotAddedAgainAndChainsNoLongerWantedAreEmptiedThenDeleted() {
        String saved = """
                *nat
                :PREROUTING ACCEPT [0:0]
                :BERTH-SERVICES - [0:0]
                :BERTH-SVC-0123456789ABCDEF - [0:0]
                -A PREROUTING -m comment --comment "berth service portals" -j BERTH-SERVICES
                -A OUTPUT -m comment --comment "berth service portals" -j BERTH-SERVICES
                -A POSTROUTING -m comment --comment "berth postrouting rules" -j BERTH-POSTROUTING
                -A BERTH-SERVICES -d 10.96.0.9/32 -p tcp -m tcp --dport 80 -j BERTH-SVC-0123456789ABCDEF
                COMMIT
                """;
        String restore = IptablesChanges.restore(IptablesRules.render(List.of(WEB)), IptablesChanges.parse(saved));
        String nat = restore.substring(restore.indexOf("*nat"));
        assertFalse(nat.contains("-I "), nat);
        assertFalse(nat.contains("-D "), nat);
        assertTrue(nat.contains(":BERTH-SVC-0123456789ABCDEF - [0:0]\n"), "emptied first: " + nat);
        assertTrue(nat.endsWith("-X BERTH-SVC-0123456789ABCDEF\nCOMMIT\n"), nat);
    }

    @Test
    void noServiceLeftDeletesTheJumpsThenEveryChainOfBerths() {
        String saved = """
                *filter
                :INPUT ACCEPT [0:0]
                :BERTH-FIREWALL - [0:0]
                -A INPUT -m comment --comment "berth firewall" -j BERTH-FIREWALL
                -A BERTH-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -j DROP
                COMMIT
                *nat
                :BERTH-SERVICES - [0:0]
                :BERTH-MARK-MASQ - [0:0]
                -A PREROUTING -m comment --comment "berth service portals" -j BERTH-SERVICES
                -A CNI-HOSTPORT-DNAT -j DNAT --to-destination 10.88.0.5:80
                COMMIT
                """;
        assertEquals("""
                *filter
                :BERTH-FIREWALL - [0:0]
                -D INPUT -m comment --comment "berth firewall" -j BERTH-FIREWALL
                -X BERTH-FIREWALL
                COMMIT
                *nat
                :BERTH-SERVICES - [0:0]
                :BERTH-MARK-MASQ - [0:0]
                -D PREROUTING -m comment --comment "berth service portals" -j BERTH-SERVICES
                -X BERTH-SERVICES
                -X BERTH-MARK-MASQ
                COMMIT
                """, IptablesChanges.restore(Map.of(), IptablesChanges.parse(saved)));
    }

    @Test
    void nothingOfBerthsAndNoServiceIsNoChange() {
        assertEquals("", IptablesChanges.restore(Map.of(), IptablesChanges.parse(EMPTY)));
    }
}
