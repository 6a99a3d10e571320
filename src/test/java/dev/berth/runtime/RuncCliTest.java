package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
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
    void choosesCrunExceptOnHybridCgroupHosts() {
        Function<String, Optional<Path>> both = name -> Optional.of(Path.of("/usr/bin", name));
        assertEquals(Path.of("/usr/bin/runc"), RuncCli.choose(CgroupMode.HYBRID, both));
        assertEquals(Path.of("/usr/bin/crun"), RuncCli.choose(CgroupMode.V2, both));
        assertEquals(Path.of("/usr/bin/crun"), RuncCli.choose(CgroupMode.V1, both));
        assertEquals(Path.of("/usr/bin/runc"), RuncCli.choose(CgroupMode.V2,
                name -> name.equals("runc") ? Optional.of(Path.of("/usr/bin/runc")) : Optional.empty()));
    }
}
