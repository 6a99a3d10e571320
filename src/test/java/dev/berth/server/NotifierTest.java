package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NotifierTest {

    @Test
    void postsSlackReadableJsonAndRetriesAFailedDelivery() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
        try (Notifier notifier = new Notifier(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"))) {
            notifier.notify("failed", "4fad7bb87dd5ca584d3f924991b9e70284f67cbf", "Invalid: a.yaml:3:1: bad");
            String first = received.poll(10, TimeUnit.SECONDS);
            String second = received.poll(10, TimeUnit.SECONDS);
            assertEquals(first, second, "the same body again after a 503");
            assertTrue(first.contains("\"text\":\"berth: failed at 4fad7bb87dd5: Invalid: a.yaml:3:1: bad\""), first);
            assertTrue(first.contains("\"event\":\"failed\""), first);
        } finally {
            server.stop(0);
        }
    }
}
