package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerUserTest {

    private static final ImageFiles ACCOUNTS = files(Map.of(
            "etc/passwd", """
                    root:x:0:0:root:/root:/bin/sh
                    # a comment
                    www:x:33:33:www:/var/www:/bin/false
                    app:x:1000:1001::/home/app:/bin/sh
                    """,
            "etc/group", """
                    root:x:0:
                    www:x:33:
                    app:x:1001:
                    audio:x:29:app,www
                    video:x:44:www
                    """));

    private static ImageFiles files(Map<String, String> files) {
        return path -> Optional.ofNullable(files.get(path));
    }

    private static ContainerUser resolve(PodSecurityContext pod, SecurityContext container, String imageUser) {
        return ContainerUser.resolve(pod, container, imageUser, ACCOUNTS, "main");
    }

    @Test
    void anImageUserByNameIsResolvedFromItsPasswdAndGroup() {
        assertEquals(new ContainerUser(1000, 1001, List.of(29L)), resolve(null, null, "app"));
        assertEquals(new ContainerUser(33, 29, List.of(44L)), resolve(null, null, "www:audio"),
                "the named group is primary; www's other groups are supplementary");
        assertEquals(new ContainerUser(1000, 44, List.of(29L)), resolve(null, null, "1000:video"));
    }

    @Test
    void aNumericUserTakesItsPrimaryGroupFromPasswdWhenThereIsOne() {
        assertEquals(new ContainerUser(33, 33, List.of(29L, 44L)), resolve(null, null, "33"));
        assertEquals(new ContainerUser(4242, 0, List.of()), resolve(null, null, "4242"), "not in passwd: group 0");
        assertEquals(new ContainerUser(0, 0, List.of()), resolve(null, null, ""), "no USER: root");
    }

    @Test
    void runAsUserAndRunAsGroupWinAndThePodsGroupsAreAdded() {
        PodSecurityContext pod = new PodSecurityContextBuilder().withRunAsUser(1000L).withFsGroup(2000L)
                .withSupplementalGroups(3000L, 3001L).build();
        assertEquals(new ContainerUser(1000, 1001, List.of(29L, 3000L, 3001L, 2000L)), resolve(pod, null, "www"));
        SecurityContext container = new SecurityContextBuilder().withRunAsUser(5000L).withRunAsGroup(6000L).build();
        assertEquals(new ContainerUser(5000, 6000, List.of(3000L, 3001L, 2000L)), resolve(pod, container, "www"));
    }

    @Test
    void anUnknownNameIsACreateContainerConfigError() {
        BerthException e = assertThrows(BerthException.class, () -> resolve(null, null, "nobody"));
        assertEquals("CreateContainerConfigError: container main: the image's user \"nobody\" is not in its /etc/passwd",
                e.getMessage());
        assertTrue(assertThrows(BerthException.class, () -> resolve(null, null, "app:staff")).getMessage()
                .contains("group \"staff\""));
        assertThrows(BerthException.class, () -> ContainerUser.resolve(null, null, "app", ImageFiles.NONE, "main"));
    }

    @Test
    void runAsNonRootRefusesARootProcess() {
        SecurityContext nonRoot = new SecurityContextBuilder().withRunAsNonRoot(true).build();
        assertEquals("CreateContainerConfigError: container main: it has runAsNonRoot and its image will run as root"
                + " (set runAsUser, or USER in the image)",
                assertThrows(BerthException.class, () -> resolve(null, nonRoot, "")).getMessage());
        assertEquals(33, resolve(null, nonRoot, "www").uid());
        PodSecurityContext pod = new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(0L).build();
        assertTrue(assertThrows(BerthException.class, () -> resolve(pod, null, "www")).getMessage()
                .contains("runAsUser breaks non-root policy"));
        SecurityContext allowed = new SecurityContextBuilder().withRunAsNonRoot(false).build();
        assertEquals(0, resolve(pod, allowed, "").uid(), "the container's runAsNonRoot: false wins over the pod's");
    }

    @Test
    void anIdThatIsNotANumberIsAnError() {
        ImageFiles bad = files(Map.of("etc/passwd", "app:x:99999999999:1::/:/bin/sh\n"));
        assertThrows(BerthException.class, () -> ContainerUser.resolve(null, null, "app", bad, "main"));
    }
}
