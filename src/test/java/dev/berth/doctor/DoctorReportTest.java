package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.JsonFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The report's worst status, its text and JSON, and a group that fails on its own. */
class DoctorReportTest {

    private static final Check OK = Check.ok("kernel", "Linux 6.1.0");
    private static final Check WARN = Check.warn("dnsmasq", "not found", Check.install("dnsmasq-base"));
    private static final Check ERROR = Check.error("conmon", "not found at /usr/bin/conmon", Check.install("conmon"));

    @Test
    void theWorstStatusDecides() {
        assertEquals(Check.Status.OK, new Report(List.of()).worst());
        assertEquals(Check.Status.OK, new Report(List.of(OK, OK)).worst());
        assertEquals(Check.Status.WARN, new Report(List.of(OK, WARN, OK)).worst());
        assertEquals(Check.Status.ERROR, new Report(List.of(ERROR, WARN, OK)).worst());
    }

    @Test
    void textIsOneLinePerCheckWithItsFix() {
        assertEquals("""
                ok     kernel   Linux 6.1.0
                warn   dnsmasq  not found; fix: install Debian's package dnsmasq-base (apt-get install -y dnsmasq-base)
                error  conmon   not found at /usr/bin/conmon; fix: install Debian's package conmon (apt-get install -y conmon)
                """, new Report(List.of(OK, WARN, ERROR)).text());
    }

    @Test
    void jsonHasEveryCheckAndTheExitCode() {
        JsonNode json = JsonFiles.JSON.readTree(new Report(List.of(OK, ERROR)).json(1));
        assertEquals(1, json.get("exit").asInt());
        assertEquals(2, json.get("checks").size());
        JsonNode conmon = json.get("checks").get(1);
        assertEquals("conmon", conmon.get("name").asString());
        assertEquals("error", conmon.get("status").asString());
        assertEquals("not found at /usr/bin/conmon", conmon.get("message").asString());
        assertTrue(conmon.get("fix").asString().contains("apt-get install -y conmon"));
        assertTrue(json.get("checks").get(0).get("fix").isNull());
    }

    @Test
    void aGroupThatFailsIsAnErrorOfItsOwnAndTheOthersStillRun() {
        CheckGroup broken = group("network", () -> {
            throw new IllegalStateException("boom");
        });
        Report report = new Doctor(List.of(broken, group("kernel", () -> List.of(OK)))).run();
        assertEquals(List.of("network", "kernel"), report.checks().stream().map(Check::name).toList());
        assertEquals(Check.Status.ERROR, report.checks().get(0).status());
        assertTrue(report.checks().get(0).message().contains("boom"), report.checks().get(0).message());
    }

    private static CheckGroup group(String topic, java.util.function.Supplier<List<Check>> checks) {
        return new CheckGroup() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public List<Check> run() {
                return checks.get();
            }
        };
    }
}
