package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.net.service.ServiceEndpoints;
import dev.berth.net.service.ServiceIps;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods serve which port of a Service, without a node. */
class ServiceBackendsTest {

    private static final ServiceIps.Allocation ALLOCATION = new ServiceIps.Allocation("10.96.0.7", Map.of("80/TCP", 30080));

    private static final Service WEB = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web")
            .endMetadata().withNewSpec().withSelector(Map.of("app", "web"))
            .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(new IntOrString("http")).endPort()
            .addNewPort().withName("metrics").withPort(9100).withProtocol("TCP").withTargetPort(new IntOrString(9100))
            .endPort().endSpec().build();

    private static final List<Container> NAMED_HTTP = List.of(new ContainerBuilder().withName("main")
            .addNewPort().withName("http").withContainerPort(8080).endPort().build());

    private static ServiceBackends.Backend pod(String id, String ns, Map<String, String> labels, List<Container> containers,
                                               boolean ready, boolean terminating, String ip) {
        return new ServiceBackends.Backend(id, ns, labels, containers, ready, terminating, ip);
    }

    private static List<String> ids(ServiceEndpoints.Port port) {
        return port.endpoints().stream().map(ServiceEndpoints.Endpoint::podId).toList();
    }

    @Test
    void onlyReadyPodsWithAnIpThatAreNotTerminatingServeAndOnlyTheirNamespaceAndSelectorsMatch() {
        Map<String, String> web = Map.of("app", "web", "tier", "front");
        ServiceBackends.Selected selected = ServiceBackends.select(WEB, ALLOCATION, List.of(
                pod("serving", "shop", web, NAMED_HTTP, true, false, "10.88.0.2"),
                pod("unready", "shop", web, NAMED_HTTP, false, false, "10.88.0.3"),
                pod("no-ip", "shop", web, NAMED_HTTP, true, false, null),
                pod("terminating", "shop", web, NAMED_HTTP, true, true, "10.88.0.4"),
                pod("elsewhere", "other", web, NAMED_HTTP, true, false, "10.88.0.5"),
                pod("db", "shop", Map.of("app", "db"), NAMED_HTTP, true, false, "10.88.0.6")));
        assertEquals(List.of("serving"), ids(selected.service().ports().get(0)));
        assertEquals(new ServiceEndpoints.Endpoint("serving", "10.88.0.2", 8080),
                selected.service().ports().get(0).endpoints().get(0));
        assertEquals(3, selected.matched(), "serving, unready and no-ip: terminating pods are not counted");
        assertEquals(1, selected.ready());
        assertEquals(30080, selected.service().ports().get(0).nodePort());
        assertEquals(0, selected.service().ports().get(1).nodePort());
    }

    @Test
    void aPodWithoutTheNamedPortServesOnlyTheNumberedOne() {
        List<Container> unnamed = List.of(new ContainerBuilder().withName("main").build());
        ServiceBackends.Selected selected = ServiceBackends.select(WEB, ALLOCATION, List.of(
                pod("plain", "shop", Map.of("app", "web"), unnamed, true, false, "10.88.0.2")));
        assertEquals(List.of(), ids(selected.service().ports().get(0)));
        assertEquals(List.of(new ServiceEndpoints.Endpoint("plain", "10.88.0.2", 9100)),
                selected.service().ports().get(1).endpoints());
        assertEquals(1, selected.ready());
    }

    @Test
    void aNamedPortOfAnotherProtocolDoesNotCount() {
        List<Container> udp = List.of(new ContainerBuilder().withName("main")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("UDP").endPort().build());
        ServiceBackends.Selected selected = ServiceBackends.select(WEB, ALLOCATION, List.of(
                pod("udp", "shop", Map.of("app", "web"), udp, true, false, "10.88.0.2")));
        assertEquals(List.of(), ids(selected.service().ports().get(0)));
    }

    @Test
    void aServiceWithoutSelectorMatchesNoPod() {
        Service bare = new ServiceBuilder(WEB).editSpec().withSelector(null).endSpec().build();
        ServiceBackends.Selected selected = ServiceBackends.select(bare, ALLOCATION, List.of(
                pod("any", "shop", Map.of("app", "web"), NAMED_HTTP, true, false, "10.88.0.2")));
        assertEquals(0, selected.matched());
    }
}
