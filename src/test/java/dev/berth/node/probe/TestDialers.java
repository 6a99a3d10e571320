package dev.berth.node.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Dialers for probe tests: none at all, or plain connections from the test's own namespace to 127.0.0.1. */
public final class TestDialers {

    /** For containers whose probes are all exec probes. */
    public static final ProbeDialer NONE = new ProbeDialer() {
        @Override
        public String podHost() {
            throw new AssertionError("no network probe here");
        }

        @Override
        public Socket connect(InetSocketAddress address, Duration timeout) {
            throw new AssertionError("no network probe here");
        }
    };

    /** The "pod" is this machine's loopback: test servers on 127.0.0.1 stand for its ports. */
    public static final ProbeDialer LOOPBACK = new ProbeDialer() {
        @Override
        public String podHost() {
            return "127.0.0.1";
        }

        @Override
        public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(address, (int) timeout.toMillis());
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return socket;
        }
    };

    private TestDialers() {}
}
