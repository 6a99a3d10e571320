package dev.berth.git;

import dev.berth.core.BerthException;
import dev.berth.core.Revision;
import dev.berth.core.TreeReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads files straight from a commit's tree in the object database, so a work tree's uncommitted edits are never
 * seen. Each call opens its own {@link ObjectReader}, which makes the reader safe to share between threads; it works
 * as long as the {@link Repository} stays open (see {@link GitSource#close()}).
 */
final class CommitTreeReader implements TreeReader {

    private final Repository repository;
    private final ObjectId tree;
    private final Revision revision;
    private final String location;

    CommitTreeReader(Repository repository, ObjectId tree, Revision revision, String location) {
        this.repository = repository;
        this.tree = tree;
        this.revision = revision;
        this.location = location;
    }

    @Override
    public List<String> list(String dir) {
        String prefix = clean(dir);
        try (ObjectReader reader = repository.newObjectReader()) {
            ObjectId start = prefix.isEmpty() ? tree : subtree(reader, prefix);
            return start == null ? List.of() : filesUnder(reader, start, prefix);
        } catch (IOException e) {
            throw failure("cannot list '" + prefix + "'", e);
        }
    }

    private static List<String> filesUnder(ObjectReader reader, ObjectId start, String prefix) throws IOException {
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(start);
            walk.setRecursive(true);
            List<String> files = new ArrayList<>();
            while (walk.next()) {
                if (isRegularFile(walk.getFileMode(0))) {
                    files.add(prefix.isEmpty() ? walk.getPathString() : prefix + "/" + walk.getPathString());
                }
            }
            // git orders "a.txt" before "a/" but users expect plain string order.
            files.sort(null);
            return files;
        }
    }

    @Override
    public boolean isDirectory(String dir) {
        String path = clean(dir);
        if (path.isEmpty()) {
            return true;
        }
        try (ObjectReader reader = repository.newObjectReader();
                TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            return walk != null && walk.getFileMode(0) == FileMode.TREE;
        } catch (IOException e) {
            throw failure("cannot read '" + path + "'", e);
        }
    }

    @Override
    public byte[] read(String path) {
        String file = clean(path);
        try (ObjectReader reader = repository.newObjectReader();
                TreeWalk walk = file.isEmpty() ? null : TreeWalk.forPath(reader, file, tree)) {
            if (walk == null || !isRegularFile(walk.getFileMode(0))) {
                throw new BerthException("no file '" + file + "' in commit " + revision.abbreviated() + " of " + location);
            }
            return reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE);
        } catch (IOException e) {
            throw failure("cannot read '" + file + "'", e);
        }
    }

    @Override
    public String describe() {
        return location + "@" + revision.abbreviated();
    }

    private ObjectId subtree(ObjectReader reader, String dir) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, dir, tree)) {
            return walk != null && walk.getFileMode(0) == FileMode.TREE ? walk.getObjectId(0) : null;
        }
    }

    // Symlinks and submodules (gitlinks) have no content of their own in this tree, so they are not files here.
    private static boolean isRegularFile(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    private static String clean(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p.replaceAll("^/+|/+$", "");
    }

    private BerthException failure(String what, IOException e) {
        return new BerthException(what + " in " + describe() + ": " + e.getMessage(), e);
    }
}
