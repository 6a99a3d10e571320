package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCommandTest {

    private static final List<String> ENTRYPOINT = List.of("/entry");
    private static final List<String> CMD = List.of("serve", "--port=80");

    @Test
    void followsKubernetesRulesForCommandAndArgs() {
        assertEquals(List.of("/entry", "serve", "--port=80"), ContainerCommand.resolve(ENTRYPOINT, CMD, List.of(), List.of()));
        assertEquals(List.of("/entry", "migrate"), ContainerCommand.resolve(ENTRYPOINT, CMD, List.of(), List.of("migrate")));
        assertEquals(List.of("sh", "-c", "x"), ContainerCommand.resolve(ENTRYPOINT, CMD, List.of("sh", "-c"), List.of("x")));
        assertEquals(List.of("sh"), ContainerCommand.resolve(ENTRYPOINT, CMD, List.of("sh"), List.of()));
        assertEquals(List.of(), ContainerCommand.resolve(List.of(), List.of(), List.of(), List.of()));
    }

    @Test
    void expandsDefinedVariablesOnly() {
        Map<String, String> env = Map.of("PORT", "8080", "HOST", "web");
        assertEquals("web:8080", ContainerCommand.expand("$(HOST):$(PORT)", env));
        assertEquals("$(MISSING)/x", ContainerCommand.expand("$(MISSING)/x", env));
        assertEquals("$(PORT) costs $5", ContainerCommand.expand("$$(PORT) costs $5", env));
    }
}
