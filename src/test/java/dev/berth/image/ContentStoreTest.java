package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

    @TempDir
    Path root;

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static Digest digestOf(byte[] bytes) {
        return RegistryClient.sha256(bytes);
    }

    @Test
    void ingestVerifiesAndStoresByDigest() throws IOException {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(200_000);
        Digest digest = digestOf(blob);
        store.ingest(new ByteArrayInputStream(blob), digest, blob.length);
        assertTrue(store.has(digest));
        assertEquals(root.resolve("blobs/sha256/" + digest.hex()), store.path(digest));
        try (InputStream in = store.open(digest)) {
            assertArrayEquals(blob, in.readAllBytes());
        }
        assertEquals(List.of(digest), store.list());
        assertFalse(Files.exists(root.resolve("ingest/" + digest.hex())), "ingest directory cleaned up");
    }

    @Test
    void mismatchedDigestOrSizeStoresNothing() {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(1000);
        Digest wrong = digestOf("other".getBytes());
        assertThrows(DigestMismatchException.class, () -> store.ingest(new ByteArrayInputStream(blob), wrong, blob.length));
        Digest right = digestOf(blob);
        assertThrows(DigestMismatchException.class, () -> store.ingest(new ByteArrayInputStream(blob), right, 999));
        assertEquals(List.of(), store.list());
        assertFalse(store.has(wrong));
    }

    @Test
    void interruptedIngestResumesFromWhereItStopped() {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(300_000);
        Digest digest = digestOf(blob);
        List<Long> offsetsAsked = new ArrayList<>();
        BlobSource cutAfter100k = offset -> {
            offsetsAsked.add(offset);
            return new BlobSource.Opened(failingAfter(Arrays.copyOfRange(blob, (int) offset, (int) offset + 100_000)), offset);
        };
        assertThrows(BerthException.class, () -> store.ingest(cutAfter100k, digest, blob.length));
        assertFalse(store.has(digest));
        assertEquals(100_000, root.resolve("ingest/" + digest.hex() + "/data").toFile().length());

        BlobSource honoursRange = offset -> {
            offsetsAsked.add(offset);
            return new BlobSource.Opened(new ByteArrayInputStream(Arrays.copyOfRange(blob, (int) offset, blob.length)), offset);
        };
        store.ingest(honoursRange, digest, blob.length);
        assertEquals(List.of(0L, 100_000L), offsetsAsked);
        assertArrayEquals(blob, store.read(digest));
    }

    /** Two pods of one image start side by side: both pull its blobs at once, in one process. */
    @Test
    void aSecondIngestOfTheSameBlobInTheProcessWaitsForTheFirst() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(100_000);
        Digest digest = digestOf(blob);
        CountDownLatch firstReading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlobSource held = offset -> {
            firstReading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return new BlobSource.Opened(new ByteArrayInputStream(blob), 0);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Digest> first = pool.submit(() -> store.ingest(held, digest, blob.length));
            firstReading.await();
            AtomicReference<Thread> secondThread = new AtomicReference<>();
            Future<Digest> second = pool.submit(() -> {
                secondThread.set(Thread.currentThread());
                return store.ingest(held, digest, blob.length);
            });
            while (!second.isDone() && (secondThread.get() == null || secondThread.get().getState() != Thread.State.WAITING)) {
                Thread.onSpinWait(); // until it has failed, or waits for the first's lock
            }
            release.countDown();
            assertEquals(digest, first.get());
            assertEquals(digest, second.get());
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(blob, store.read(digest));
    }

    @Test
    void aSourceIgnoringTheRangeRestartsCleanly() {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(50_000);
        Digest digest = digestOf(blob);
        assertThrows(BerthException.class, () -> store.ingest(
                offset -> new BlobSource.Opened(failingAfter(Arrays.copyOf(blob, 20_000)), 0), digest, blob.length));
        store.ingest(offset -> new BlobSource.Opened(new ByteArrayInputStream(blob), 0), digest, blob.length);
        assertArrayEquals(blob, store.read(digest));
    }

    @Test
    void corruptPrefixFromAnEarlierRunFailsVerificationAndIsDropped() throws IOException {
        ContentStore store = new ContentStore(root);
        byte[] blob = randomBytes(10_000);
        Digest digest = digestOf(blob);
        Path partial = root.resolve("ingest/" + digest.hex() + "/data");
        Files.createDirectories(partial.getParent());
        Files.write(partial, new byte[5_000]);
        BlobSource rest = offset -> new BlobSource.Opened(new ByteArrayInputStream(Arrays.copyOfRange(blob, (int) offset, blob.length)), offset);
        assertThrows(DigestMismatchException.class, () -> store.ingest(rest, digest, blob.length));
        assertFalse(Files.exists(partial));
        store.ingest(rest, digest, blob.length);
        assertTrue(store.has(digest));
    }

    @Test
    void pruneKeepsOnlyWhatIsReferenced() {
        ContentStore store = new ContentStore(root);
        Digest keep = store.add(new ByteArrayInputStream("keep".getBytes()));
        Digest drop = store.add(new ByteArrayInputStream("drop!".getBytes()));
        assertEquals(digestOf("keep".getBytes()), keep);
        ContentStore.Pruned pruned = store.prune(Set.of(keep));
        assertEquals(List.of(drop), pruned.removed());
        assertEquals(5, pruned.bytes());
        assertEquals(List.of(keep), store.list());
    }

    /** Serves {@code bytes}, then fails as a cut connection does. */
    private static InputStream failingAfter(byte[] bytes) {
        return new java.io.SequenceInputStream(new ByteArrayInputStream(bytes), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
    }
}
