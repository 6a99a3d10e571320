package dev.berth.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fails a response body that stops sending: a registry that sent its headers and then stalls would otherwise hold a
 * read, and with it a pull, forever ({@code HttpRequest.timeout} covers only the headers). A watchdog closes the
 * stream once no byte came for the limit; the blocked read then ends, and the reader sees why.
 */
final class StallGuard extends FilterInputStream {

    /** One thread for every guarded stream: it only looks at a clock now and then. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long limitNanos;
    private final String what;
    private final ScheduledFuture<?> watch;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    private StallGuard(InputStream in, Duration limit, String what) {
        super(in);
        this.limitNanos = limit.toNanos();
        this.what = what;
        long every = Math.max(10, Math.min(1000, limit.toMillis() / 4));
        this.watch = WATCHDOG.scheduleAtFixedRate(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** {@code in}, failing with a {@link RegistryException} once it gives no byte for {@code limit}. */
    static InputStream guard(InputStream in, Duration limit, String what) {
        return new StallGuard(in, limit, what);
    }

    private void check() {
        if (System.nanoTime() - lastProgress > limitNanos) {
            stalled = true;
            watch.cancel(false);
            try {
                in.close(); // ends the read that waits
            } catch (IOException e) {
                // closed either way; the read reports the stall
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            if (stalled) {
                throw stall();
            }
            throw e;
        }
        if (stalled) {
            throw stall();
        }
        lastProgress = System.nanoTime();
        return n;
    }

    private RegistryException stall() {
        return new RegistryException(RegistryException.Reason.STALLED, what + ": no data for "
                + limitNanos / 1_000_000_000.0 + " s (registries.<host>.timeout)");
    }

    @Override
    public void close() throws IOException {
        watch.cancel(false);
        super.close();
    }
}
