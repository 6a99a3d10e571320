package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void bearerChallengeAsDockerHubSendsIt() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull\"");
        assertEquals("bearer", c.scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), c.params());
    }

    @Test
    void scopesWithCommasSpacesAndEscapesStayWhole() {
        AuthChallenge c = AuthChallenge.parse("bearer  realm=\"https://a/t\", scope=\"repository:a:pull,push\", "
                + "error=\"say \\\"hi\\\"\", service=plain");
        assertEquals("repository:a:pull,push", c.param("scope"));
        assertEquals("say \"hi\"", c.param("error"));
        assertEquals("plain", c.param("service"));
    }

    @Test
    void basicChallenge() {
        AuthChallenge c = AuthChallenge.parse("Basic realm=\"basic-realm\"");
        assertEquals("basic", c.scheme());
        assertEquals("basic-realm", c.param("realm"));
        assertEquals("basic", AuthChallenge.parse("Basic").scheme());
    }

    @Test
    void emptyHeaderIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AuthChallenge.parse(" "));
    }
}
