package dev.berth.node.probe;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The kubelet's httpGet probe, as a small HTTP/1.1 client over the pod's own connection: one GET per connection,
 * closed after it; {@code User-Agent: kube-probe/1.32} and {@code Accept: *}{@code /*} unless set; HTTPS without
 * verifying the certificate; status 200 to 399 is success; redirects are followed to the same host only (one to
 * another host is a success with a warning); at most 10 KiB of the body is read. The whole exchange, redirects
 * included, is bounded by the probe's timeout. Failures read as the kubelet's do.
 */
final class HttpGetProbe {

    static final String USER_AGENT = "kube-probe/1.32";
    static final int MAX_BODY = 10 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_REDIRECTS = 10;
    /** The statuses Go's client follows when they carry a Location. */
    private static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);
    private static final SSLSocketFactory TRUST_ALL = trustAll();

    private HttpGetProbe() {}

    static ProbeResult run(ProbeAction.HttpGet action, Duration timeout, ProbeDialer dialer) {
        String host = action.host() != null ? action.host() : dialer.podHost();
        String url = action.scheme() + "://" + TcpSocketProbe.joinHostPort(host, action.port()) + action.path();
        URI first;
        try {
            first = URI.create(url);
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure("parse \"" + url + "\": " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = first;
        for (int redirects = 0; ; redirects++) {
            Response response;
            try {
                response = exchange(current, action, deadline, dialer);
            } catch (IOException e) {
                return ProbeResult.failure(e.getMessage());
            }
            if (FOLLOWED.contains(response.status()) && response.location() != null) {
                URI next;
                try {
                    next = current.resolve(response.location());
                } catch (IllegalArgumentException e) {
                    return ProbeResult.failure("Get \"" + current + "\": failed to parse Location header \""
                            + response.location() + "\": " + e.getMessage());
                }
                if (!host.equalsIgnoreCase(hostname(next))) {
                    return terminated(response); // the kubelet follows no redirect to another host
                }
                if (redirects == MAX_REDIRECTS) {
                    return ProbeResult.failure("Get \"" + next + "\": stopped after " + MAX_REDIRECTS + " redirects");
                }
                current = next;
                continue;
            }
            if (response.status() >= 200 && response.status() < 300) {
                return ProbeResult.success(response.body());
            }
            if (response.status() >= 300 && response.status() < 400) {
                return terminated(response);
            }
            return ProbeResult.failure("HTTP probe failed with statuscode: " + response.status());
        }
    }

    private static ProbeResult terminated(Response response) {
        return ProbeResult.warning("Probe terminated redirects, Response body: " + response.body());
    }

    private record Response(int status, String location, String body) {}

    /** One GET on a connection of its own; an IOException's message is what the kubelet would say. */
    private static Response exchange(URI url, ProbeAction.HttpGet action, long deadline, ProbeDialer dialer)
            throws IOException {
        String prefix = "Get \"" + url + "\": ";
        String host = hostname(url);
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        Socket socket;
        try {
            socket = TcpSocketProbe.dial(dialer, host, port, remaining(deadline, prefix + "context deadline exceeded"));
        } catch (IOException e) {
            throw new IOException(prefix + e.getMessage(), e);
        }
        try (Socket plain = socket) {
            Socket connection = plain;
            InputStream in;
            try {
                if (https) {
                    SSLSocket tls = (SSLSocket) TRUST_ALL.createSocket(plain, host, port, true);
                    plain.setSoTimeout(millis(remaining(deadline, "TLS handshake timeout")));
                    tls.startHandshake();
                    connection = tls;
                }
                in = new DeadlineStream(connection.getInputStream(), connection, deadline);
                OutputStream out = connection.getOutputStream();
                out.write(request(url, action).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                throw new IOException(prefix + e.getMessage(), e);
            }
            Map<String, String> headers = new HashMap<>();
            int status;
            try {
                status = statusAndHeaders(in, headers, prefix);
            } catch (SocketTimeoutException e) {
                throw new IOException(prefix + "context deadline exceeded (Client.Timeout exceeded while awaiting "
                        + "headers)", e);
            }
            String body;
            try {
                body = status == 204 || status == 304 ? "" : body(in, headers);
            } catch (SocketTimeoutException e) {
                throw new IOException("context deadline exceeded (Client.Timeout or context cancellation while reading "
                        + "body)", e);
            }
            return new Response(status, headers.get("location"), body);
        }
    }

    /** The request as Go's client sends it for the kubelet: a {@code Host} header replaces the URL's host. */
    private static String request(URI url, ProbeAction.HttpGet action) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        Map<String, String> fixed = new HashMap<>(Map.of("host", url.getRawAuthority(), "user-agent", USER_AGENT,
                "accept", "*/*"));
        StringBuilder own = new StringBuilder();
        for (ProbeAction.Header h : action.headers()) {
            String key = h.name().toLowerCase(Locale.ROOT);
            if (key.equals("host")) {
                fixed.put(key, h.value());
            } else {
                fixed.remove(key);
                own.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        for (String name : new String[] {"Host", "User-Agent", "Accept"}) {
            String value = fixed.get(name.toLowerCase(Locale.ROOT));
            if (value != null) {
                request.append(name).append(": ").append(value).append("\r\n");
            }
        }
        return request.append(own).append("Connection: close\r\n\r\n").toString();
    }

    /** Reads the status line and the headers (names lower-cased) up to the blank line; returns the status. */
    private static int statusAndHeaders(InputStream in, Map<String, String> headers, String prefix) throws IOException {
        int[] budget = {MAX_HEADER_BYTES};
        String statusLine = line(in, budget);
        if (statusLine == null) {
            throw new IOException(prefix + "EOF");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException(prefix + "net/http: HTTP/1.x transport connection broken: malformed HTTP response \""
                    + statusLine + "\"");
        }
        for (String header = line(in, budget); header != null && !header.isEmpty(); header = line(in, budget)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
        }
        return Integer.parseInt(parts[1]);
    }

    /** One line without its CRLF; null at the end of the stream before any byte. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (--budget[0] < 0) {
                throw new IOException("net/http: server response headers exceeded " + MAX_HEADER_BYTES + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** At most {@link #MAX_BODY} bytes of the body: more is cut off, as the kubelet does, and is no failure. */
    private static String body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            int[] budget = {MAX_HEADER_BYTES};
            for (String size = line(in, budget); size != null && body.size() < MAX_BODY; size = line(in, budget)) {
                int length;
                try {
                    length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
                } catch (NumberFormatException e) {
                    break; // a body cut short or garbled: what came so far is all there is to show
                }
                if (length == 0) {
                    break;
                }
                copy(in, body, Math.min(length, MAX_BODY - body.size()));
                line(in, budget); // the chunk's CRLF
            }
        } else {
            long length = contentLength(headers.get("content-length"));
            copy(in, body, (int) Math.min(length, MAX_BODY));
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static long contentLength(String header) {
        try {
            return header == null ? Long.MAX_VALUE : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream to, int max) throws IOException {
        byte[] buffer = new byte[4096];
        while (max > 0) {
            int n = in.read(buffer, 0, Math.min(buffer.length, max));
            if (n == -1) {
                return;
            }
            to.write(buffer, 0, n);
            max -= n;
        }
    }

    /** The URL's host, without brackets around an IPv6 address, as Go's URL.Hostname(). */
    private static String hostname(URI url) {
        String host = url.getHost() == null ? "" : url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Duration remaining(long deadline, String message) throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(message);
        }
        return Duration.ofNanos(left);
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Every read waits only for what is left of the probe's timeout, which bounds the whole exchange. */
    private static final class DeadlineStream extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        DeadlineStream(InputStream in, Socket socket, long deadline) {
            super(new java.io.BufferedInputStream(in));
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }

        private void arm() throws IOException {
            socket.setSoTimeout(millis(remaining(deadline, "Read timed out")));
        }
    }

    /** The kubelet sets InsecureSkipVerify: a probe checks that the server answers, not who it is. */
    private static SSLSocketFactory trustAll() {
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {any}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
