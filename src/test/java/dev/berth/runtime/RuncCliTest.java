package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RuncCliTest {

    @Test
    void extractsRuncsErrorMessage() {
        assertEquals("container does not exist",
                RuncCli.errorMessage("time=\"2026-11-29T04:56:39Z\" level=error msg=\"container does not exist\"\n"));
        assertEquals("plain failure", RuncCli.errorMessage("plain failure\n"));
    }

    @Test
    void classifiesErrorsLikeRunc() {
        assertEquals(ContainerException.Kind.NOT_FOUND, ContainerException.fromRuntime("a", "container does not exist").kind());
        assertEquals(ContainerException.Kind.ALREADY_EXISTS,
                ContainerException.fromRuntime("a", "container with id exists: a").kind());
        assertEquals(ContainerException.Kind.NOT_RUNNING, ContainerException.fromRuntime("a", "container not running").kind());
        assertEquals(ContainerException.Kind.INVALID_TRANSITION,
                ContainerException.fromRuntime("a", "cannot start a container that has stopped").kind());
        assertEquals(ContainerException.Kind.FAILED,
                ContainerException.fromRuntime("a", "error setting rlimit type 7: operation not permitted").kind());
    }

    @Test
    void classifiesCrunsErrorsAsRuncsAreClassified() {
        assertEquals(ContainerException.Kind.NOT_FOUND, ContainerException.fromRuntime("a",
                "error opening file `/run/berth/crun/a/status`: No such file or directory").kind());
        assertEquals(ContainerException.Kind.NOT_FOUND, ContainerException.fromRuntime("a",
                "cannot open directory '/run/berth/crun/a': No such file or directory").kind());
        assertEquals(ContainerException.Kind.ALREADY_EXISTS,
                ContainerException.fromRuntime("a", "container `a` already exists").kind());
        assertEquals(ContainerException.Kind.NOT_RUNNING,
                ContainerException.fromRuntime("a", "kill container: No such process").kind());
    }

    @Test
    void aListThatMetAContainerComingOrGoingIsAskedAgain() {
        assertTrue(RuncCli.listRaced("time=\"2026-12-04T06:30:01Z\" level=fatal msg=\"open /run/berth/runc/a/state.json:"
                + " no such file or directory\""));
        assertTrue(RuncCli.listRaced("crun list failed: error opening file `/run/berth/crun/a/status`: No such file or"
                + " directory"));
        assertFalse(RuncCli.listRaced("permission denied"));
    }

    @Test
    void theRuntimesJsonLogGivesItsLastError() {
        assertEquals(java.util.Optional.of("executable file `typo` not found in $PATH: No such file or directory"),
                Conmon.loggedError("{\"msg\":\"executable file `typo` not found in $PATH: No such file or directory\","
                        + "\"level\":\"error\",\"time\":\"2026-12-04T05:49:54.320696Z\"}\n"));
        assertEquals(java.util.Optional.of("runc create failed: exec: \"typo\": executable file not found"),
                Conmon.loggedError("{\"level\":\"warning\",\"msg\":\"w\"}\n{\"level\":\"error\",\"msg\":"
                        + "\"runc create failed: exec: \\\"typo\\\": executable file not found\"}\n{\"lev"));
        assertEquals(java.util.Optional.empty(), Conmon.loggedError(""));
    }
}
