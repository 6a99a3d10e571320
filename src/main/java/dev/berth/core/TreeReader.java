package dev.berth.core;

import java.util.List;

/** Read-only view of a file tree: a git commit's tree or a local directory. Paths use '/'. */
public interface TreeReader {

    /** Regular files under {@code dir} ("" for the root), recursively, sorted; empty when it does not exist. */
    List<String> list(String dir);

    /** Whether {@code dir} exists as a directory. */
    boolean isDirectory(String dir);

    /** The content of one file; {@link BerthException} when it is missing. */
    byte[] read(String path);

    /** How users should see this tree in messages, e.g. a repository URL and short commit id. */
    String describe();
}
