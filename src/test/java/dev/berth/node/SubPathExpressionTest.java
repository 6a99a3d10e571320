package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.BerthException;
import dev.berth.image.ImageConfig;
import dev.berth.manifest.DesiredState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** subPathExpr as the kubelet expands and checks it (expansion.go's subpath cases). */
class SubPathExpressionTest {

    private static VolumeMount expr(String expression) {
        return new VolumeMountBuilder().withName("workdir1").withMountPath("/logscontainer").withSubPathExpr(expression)
                .build();
    }

    private static String refusal(String expression, Map<String, String> env) {
        return assertThrows(BerthException.class, () -> SubPathExpression.subPath(expr(expression), env, "dapi"))
                .getMessage();
    }

    @Test
    void theContainersOwnVariablesAreExpandedIntoARelativePath() {
        assertEquals("mypath/foo", SubPathExpression.subPath(expr("$(ANNOTATION)/$(POD_NAME)"),
                Map.of("ANNOTATION", "mypath", "POD_NAME", "foo"), "dapi"));
        assertEquals("a$b", SubPathExpression.subPath(expr("a$$b"), Map.of(), "dapi"), "$$ is an escaped $");
    }

    @Test
    void withoutAnExpressionTheSubPathIsAsWritten() {
        VolumeMount plain = new VolumeMountBuilder().withName("v").withMountPath("/m").withSubPath("$(X)").build();
        assertEquals("$(X)", SubPathExpression.subPath(plain, Map.of("X", "expanded"), "dapi"));
        assertNull(SubPathExpression.subPath(new VolumeMountBuilder().withName("v").withMountPath("/m").build(),
                Map.of(), "dapi"));
    }

    @Test
    void anEscapingOrIncompleteExpansionIsACreateContainerConfigError() {
        assertEquals("CreateContainerConfigError: container dapi: volumeMount /logscontainer: subPathExpr"
                + " \"$(POD_NAME)\": subPath \"..\" must not contain '..'", refusal("$(POD_NAME)", Map.of("POD_NAME", "..")));
        assertEquals("CreateContainerConfigError: container dapi: volumeMount /logscontainer: subPathExpr"
                + " \"$(POD_NAME)\": subPath \"/tmp\" must not be an absolute path",
                refusal("$(POD_NAME)", Map.of("POD_NAME", "/tmp")));
        assertEquals("CreateContainerConfigError: container dapi: volumeMount /logscontainer: subPathExpr"
                + " \"a/$(POD_NAME)\": subPath \"a/../../x\" must not contain '..'",
                refusal("a/$(POD_NAME)", Map.of("POD_NAME", "../../x")));
        assertEquals("CreateContainerConfigError: container dapi: volumeMount /logscontainer: subPathExpr"
                + " \"$(B)/$(A)/$(C)\": missing value for A, B", refusal("$(B)/$(A)/$(C)", Map.of("A", "", "C", "c")),
                "an undefined or empty variable cannot name a path");
    }

    @Test
    void thePlannerExpandsFromEnvNeverFromTheImage() {
        LaunchPlanner planner = new LaunchPlanner(new EnvironmentResolver(new ConfigSource(
                new DesiredState(null, List.of())), DownwardApiTest.NODE), Path.of("/var/lib/berth/seccomp"));
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35")
                .addNewEnv().withName("POD_NAME").withValue("var-expansion").endEnv()
                .withVolumeMounts(expr("$(POD_NAME)"), expr("$(HOME)")).build();
        var pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build();
        ImageConfig image = new ImageConfig(List.of(), List.of("sh"), List.of("HOME=/root"), "/", "0:0");
        BerthException e = assertThrows(BerthException.class, () -> planner.plan(pod, c, image, ImageFiles.NONE));
        assertEquals("CreateContainerConfigError: container main: volumeMount /logscontainer: subPathExpr \"$(HOME)\":"
                + " missing value for HOME", e.getMessage());
        c.setVolumeMounts(List.of(expr("$(POD_NAME)")));
        assertEquals(List.of(new ContainerLaunch.VolumeMount("workdir1", "/logscontainer", "var-expansion", false)),
                planner.plan(pod, c, image, ImageFiles.NONE).volumes());
    }
}
