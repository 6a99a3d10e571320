package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.core.Hashing;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Content-addressed blobs, as containerd keeps them: {@code blobs/sha256/HEX} holds only verified content;
 * downloads land in {@code ingest/HEX/data} first and are renamed in once their digest (and size) checked out.
 * An ingest file left behind by an interrupted download is continued, not restarted.
 */
public final class ContentStore {

    /** Size unknown: only the digest is checked. */
    public static final long UNKNOWN_SIZE = -1;
    /** The ingest lock of each blob in this process, by hex digest; one per blob ever ingested, a few bytes each. */
    private static final Map<String, ReentrantLock> INGESTING = new ConcurrentHashMap<>();

    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path contentDir) {
        this.blobs = contentDir.resolve("blobs").resolve("sha256");
        this.ingest = contentDir.resolve("ingest");
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(path(digest));
        } catch (IOException e) {
            throw new BerthException("blob " + digest + " is not in the content store", e);
        }
    }

    public byte[] read(Digest digest) {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BerthException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public void delete(Digest digest) {
        AtomicFiles.delete(path(digest));
    }

    public List<Digest> list() {
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(blobs)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("[0-9a-f]{64}"))
                    .sorted()
                    .map(hex -> new Digest("sha256", hex))
                    .toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + blobs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores content whose digest is not known beforehand (a layer in a {@code docker save} archive): the digest is
     * computed while writing, so it is verified by construction.
     */
    public Digest add(InputStream in) {
        try {
            Files.createDirectories(blobs);
            Path dir = Files.createDirectories(ingest).resolve("add-" + java.util.UUID.randomUUID());
            Files.createDirectories(dir);
            MessageDigest hash = Hashing.sha256();
            try (OutputStream out = Files.newOutputStream(dir.resolve("data"))) {
                new DigestInputStream(in, hash).transferTo(out);
            }
            Digest digest = Digest.sha256(hash.digest());
            try (FileChannel data = FileChannel.open(dir.resolve("data"), StandardOpenOption.WRITE)) {
                data.force(true);
            }
            Files.move(dir.resolve("data"), path(digest), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            deleteDirectory(dir);
            return digest;
        } catch (IOException e) {
            throw new BerthException("cannot store blob: " + e.getMessage(), e);
        }
    }

    /** Stores a stream read from its start; a stale ingest file for the same digest is overwritten. */
    public Digest ingest(InputStream in, Digest expected, long expectedSize) {
        return ingest(BlobSource.of(in), expected, expectedSize);
    }

    /**
     * Stores the blob {@code source} serves unless it is already here. Bytes an earlier attempt left in the ingest
     * file are re-hashed and kept, and {@code source} is asked only for the rest.
     */
    public Digest ingest(BlobSource source, Digest expected, long expectedSize) {
        if (has(expected)) {
            return expected;
        }
        // One writer per ingest, across threads and processes: a second pull of the same blob waits. A file lock is
        // held per process, so threads first take the blob's lock in this one.
        ReentrantLock inProcess = INGESTING.computeIfAbsent(expected.hex(), hex -> new ReentrantLock());
        inProcess.lock();
        try {
            if (has(expected)) { // another thread's ingest, which also removed the ingest directory
                return expected;
            }
            Path dir = ingest.resolve(expected.hex());
            Files.createDirectories(dir);
            Files.createDirectories(blobs);
            try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (has(expected)) {
                    return expected;
                }
                writeVerified(source, expected, expectedSize, dir.resolve("data"));
                Files.move(dir.resolve("data"), path(expected), StandardCopyOption.ATOMIC_MOVE);
            }
            deleteDirectory(dir);
            return expected;
        } catch (IOException e) {
            throw new BerthException("cannot store blob " + expected + ": " + e.getMessage(), e);
        } finally {
            inProcess.unlock();
        }
    }

    private static void writeVerified(BlobSource source, Digest expected, long expectedSize, Path data)
            throws IOException {
        MessageDigest hash = Hashing.sha256();
        try (FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long have = Math.min(out.size(), expectedSize >= 0 ? expectedSize : Long.MAX_VALUE);
            BlobSource.Opened opened = source.open(have);
            long start = Math.min(opened.offset(), have);
            // Re-hash the prefix we keep: the hash state of the interrupted run died with it.
            hashPrefix(hash, out, start);
            out.truncate(start).position(start);
            try (InputStream in = opened.stream()) {
                in.skipNBytes(start - opened.offset());
                long written = copy(new DigestInputStream(in, hash), Channels.newOutputStream(out), expectedSize, start);
                out.force(true);
                long total = start + written;
                if (expectedSize >= 0 && total < expectedSize) {
                    // A cut connection, not bad content: keep the prefix for the next attempt.
                    throw new IOException("connection closed after " + total + " of " + expectedSize + " bytes");
                }
                if (expectedSize >= 0 && total > expectedSize) {
                    Files.delete(data);
                    throw new DigestMismatchException("blob " + expected + ": larger than its " + expectedSize
                            + " bytes");
                }
            }
        }
        Digest actual = Digest.sha256(hash.digest());
        if (!actual.equals(expected)) {
            Files.delete(data);
            throw new DigestMismatchException("digest mismatch: expected " + expected + ", got " + actual);
        }
    }

    /** Copies until EOF, but stops reading one byte past the expected size so an endless stream cannot fill the disk. */
    private static long copy(InputStream in, OutputStream out, long expectedSize, long start) throws IOException {
        long limit = expectedSize >= 0 ? expectedSize - start + 1 : Long.MAX_VALUE;
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        int n;
        while (written < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - written))) > 0) {
            out.write(buffer, 0, n);
            written += n;
        }
        return written;
    }

    /** Positional reads: closing a stream over the channel would close the channel too. */
    private static void hashPrefix(MessageDigest hash, FileChannel file, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = file.read(buffer, position);
            if (n < 0) {
                throw new IOException("ingest file shorter than expected");
            }
            hash.update(buffer.array(), 0, n);
            position += n;
        }
    }

    /** Removes every blob not in {@code keep}; returns what was removed and how many bytes it freed. */
    public Pruned prune(Set<Digest> keep) {
        List<Digest> removed = new ArrayList<>();
        long bytes = 0;
        for (Digest digest : list()) {
            if (!keep.contains(digest)) {
                bytes += sizeOf(digest);
                delete(digest);
                removed.add(digest);
            }
        }
        return new Pruned(removed, bytes);
    }

    /** What a prune removed. */
    public record Pruned(List<Digest> removed, long bytes) {}

    public long sizeOf(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            return 0;
        }
    }


    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
