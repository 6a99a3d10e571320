package dev.berth.cli;

import dev.berth.image.PullProgress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line download bar for a terminal, redrawn at most every 100 ms. */
final class ProgressBar implements PullProgress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDraw;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void expect(long bytes) {
        expected.addAndGet(Math.max(0, bytes));
    }

    @Override
    public void advanced(long bytes) {
        done.addAndGet(bytes);
        long now = System.nanoTime();
        if (now - lastDraw > 100_000_000L) {
            lastDraw = now;
            draw();
        }
    }

    void finish() {
        if (lastDraw != 0) {
            draw();
            out.println();
        }
    }

    private synchronized void draw() {
        long total = Math.max(1, expected.get());
        int filled = (int) Math.min(WIDTH, done.get() * WIDTH / total);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + Sizes.human(done.get())
                + " / " + Sizes.human(expected.get()));
        out.flush();
    }
}
