package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile and heavy HTTP/1.1 traffic against a daemon on 127.0.0.1, from plain sockets so that every connection is
 * the client's to open, hold and close: floods of one request kept alive per worker, connections that send half a
 * request and hold it, and a health probe that records its latencies. Also {@code /proc} counts of a process.
 */
public final class HttpFlood {

    private final int port;

    public HttpFlood(int port) {
        this.port = port;
    }

    /** What a flood got: responses by status, connection failures, and how long it took. */
    public record Result(Map<Integer, Integer> byStatus, int failures, long nanos) {
        public double perSecond() {
            int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
            return total / (nanos / 1e9);
        }
    }

    /**
     * Sends {@code request} (a whole HTTP/1.1 request) {@code total} times from {@code concurrency} workers, each on a
     * kept-alive connection (a new one when the server closes it), and closes every connection at the end.
     * {@code stop} ends it early.
     */
    public Result flood(byte[] request, int total, int concurrency, AtomicBoolean stop) throws InterruptedException {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong left = new AtomicLong(total);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers.execute(() -> {
                Socket socket = null;
                try {
                    while (left.getAndDecrement() > 0 && !stop.get()) {
                        try {
                            if (socket == null) {
                                socket = new Socket("127.0.0.1", port);
                                socket.setSoTimeout(30_000);
                            }
                            Response response = exchange(socket, request);
                            statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
                            if (response.closes()) {
                                socket.close();
                                socket = null;
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                            closeQuietly(socket);
                            socket = null;
                        }
                    }
                } finally {
                    closeQuietly(socket);
                }
            });
        }
        workers.shutdown();
        if (!workers.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the flood did not end within 10 minutes");
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return new Result(byStatus, failures.get(), System.nanoTime() - start);
    }

    /** A generic webhook whose signature is wrong, as an attacker without the secret sends it. */
    public static byte[] badlySignedHook() {
        String body = "{\"ref\":\"refs/heads/main\"}";
        return ("POST /hooks/generic HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Berth-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code GET path} with a bearer token. */
    public static byte[] get(String path, String token) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Connections that each send half a request's headers and then nothing: {@link SlowClients#close} ends them. */
    public SlowClients holdPartialRequests(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        long[] openedAt = new long[count];
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            openedAt[i] = System.nanoTime();
            socket.getOutputStream().write("POST /hooks/github HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            sockets.add(socket);
        }
        return new SlowClients(sockets, openedAt);
    }

    /** The half-requests' connections: how long until the server closed each. */
    public static final class SlowClients implements AutoCloseable {
        private final List<Socket> sockets;
        private final long[] openedAt;

        private SlowClients(List<Socket> sockets, long[] openedAt) {
            this.sockets = sockets;
            this.openedAt = openedAt;
        }

        /** Milliseconds from each connection's opening to the server closing it; -1 for one still open at the limit. */
        public long[] millisUntilClosedByServer(long limitMillis) throws InterruptedException {
            long[] closedAfter = new long[sockets.size()];
            ExecutorService readers = Executors.newFixedThreadPool(Math.min(64, sockets.size()));
            List<Future<?>> waits = new ArrayList<>();
            for (int i = 0; i < sockets.size(); i++) {
                int index = i;
                waits.add(readers.submit(() -> closedAfter[index] = awaitEof(sockets.get(index), openedAt[index],
                        limitMillis)));
            }
            readers.shutdown();
            readers.awaitTermination(limitMillis + 60_000, TimeUnit.MILLISECONDS);
            return closedAfter;
        }

        private static long awaitEof(Socket socket, long openedAt, long limitMillis) {
            try {
                long remaining = limitMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
                socket.setSoTimeout((int) Math.max(1, remaining));
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // a 408 or 400 may come before the close
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                return -1;
            } catch (IOException reset) {
                // closed too
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
        }

        @Override
        public void close() {
            sockets.forEach(HttpFlood::closeQuietly);
        }
    }

    /** Asks {@code GET /healthz} on a connection of its own every {@code everyMillis} until closed; records latencies. */
    public final class HealthProbe implements AutoCloseable {
        private final List<Long> micros = new ArrayList<>(); // guarded by this
        private final List<Long> startedAt = new ArrayList<>(); // System.nanoTime() of each, guarded by this
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        public HealthProbe(long everyMillis) {
            thread = new Thread(() -> {
                Socket socket = null;
                byte[] request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        if (socket == null) {
                            socket = new Socket("127.0.0.1", port);
                            socket.setSoTimeout(10_000);
                        }
                        Response response = exchange(socket, request);
                        long took = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                        if (response.status() != 200) {
                            failures.incrementAndGet();
                        }
                        synchronized (HealthProbe.this) {
                            micros.add(took);
                            startedAt.add(start);
                        }
                        Thread.sleep(everyMillis);
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        closeQuietly(socket);
                        socket = null;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                closeQuietly(socket);
            }, "health-probe");
            thread.start();
        }

        public int failures() {
            return failures.get();
        }

        /** The latencies so far in milliseconds, sorted. */
        /** When the slowest answer's request was sent, as {@link System#nanoTime()}. */
        public synchronized long slowestSentAt() {
            int slowest = 0;
            for (int i = 1; i < micros.size(); i++) {
                slowest = micros.get(i) > micros.get(slowest) ? i : slowest;
            }
            return startedAt.get(slowest);
        }

        public synchronized double[] sortedMillis() {
            double[] out = micros.stream().mapToDouble(m -> m / 1000.0).toArray();
            Arrays.sort(out);
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(15_000);
        }
    }

    /** The value at {@code fraction} (0.99: p99) of sorted values. */
    public static double percentile(double[] sorted, double fraction) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }

    /** RSS in MB, threads and open file descriptors of a process, from /proc. */
    public record ProcessCounts(double rssMb, int threads, int fds) {
        public static ProcessCounts of(long pid) {
            try {
                double rss = 0;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                    }
                }
                return new ProcessCounts(rss, count(Path.of("/proc", Long.toString(pid), "task")),
                        count(Path.of("/proc", Long.toString(pid), "fd")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int count(Path dir) throws IOException {
            try (var entries = Files.list(dir)) {
                return (int) entries.count();
            }
        }
    }

    private record Response(int status, boolean closes) {}

    /** Writes one request and reads its response (status line, headers, a Content-Length body). */
    private static Response exchange(Socket socket, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        // nothing follows a response: a buffer per exchange loses no byte of the next one
        InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 2048);
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        long length = 0;
        boolean closes = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closes = true;
            }
        }
        in.skipNBytes(length);
        return new Response(status, closes);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed before the response's end of headers");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
