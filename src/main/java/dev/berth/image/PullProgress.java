package dev.berth.image;

/** Told how a pull advances, for a progress bar; called from download threads. */
public interface PullProgress {

    PullProgress NONE = new PullProgress() {
        @Override
        public void expect(long bytes) {}

        @Override
        public void advanced(long bytes) {}
    };

    /** More bytes are to come (a config or layers about to be fetched). */
    void expect(long bytes);

    /** Bytes received. */
    void advanced(long bytes);
}
