package dev.berth.git;

import dev.berth.core.SourceUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/** Turns a user's ref (branch, tag, full ref, commit id) into a commit of one repository. */
final class RefResolver {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{7,40}");

    /** A commit and the name it was found under: a full ref, "HEAD" or the commit id itself. */
    record Resolved(RevCommit commit, String refName) {
    }

    private final Repository repository;
    private final String location;

    RefResolver(Repository repository, String location) {
        this.repository = repository;
        this.location = location;
    }

    /**
     * Refs win over commit ids, and short names follow git's own search order (refs/tags before refs/heads), so a
     * name means here what it means to {@code git rev-parse}.
     */
    Resolved resolve(String ref) {
        String name = ref == null ? Constants.HEAD : ref.trim();
        try (RevWalk walk = new RevWalk(repository)) {
            Ref found = name.startsWith(Constants.R_REFS) || name.equals(Constants.HEAD)
                    ? repository.exactRef(name)
                    : repository.findRef(name);
            if (found != null && found.getObjectId() != null) {
                String refName = found.isSymbolic() ? found.getTarget().getName() : found.getName();
                return new Resolved(commit(walk, found.getObjectId(), name), refName);
            }
            if (HEX.matcher(name).matches()) {
                ObjectId id = commitId(walk.getObjectReader(), name.toLowerCase(Locale.ROOT));
                return new Resolved(commit(walk, id, name), id.name());
            }
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read " + location + ": " + e.getMessage(), e);
        }
        throw notFound(name);
    }

    private ObjectId commitId(ObjectReader reader, String hex) throws IOException {
        if (hex.length() == Constants.OBJECT_ID_STRING_LENGTH) {
            return ObjectId.fromString(hex);
        }
        Collection<ObjectId> candidates = reader.resolve(AbbreviatedObjectId.fromString(hex));
        List<ObjectId> commits = new ArrayList<>();
        for (ObjectId candidate : candidates) {
            if (reader.open(candidate).getType() == Constants.OBJ_COMMIT) {
                commits.add(candidate);
            }
        }
        if (commits.size() > 1) {
            throw new SourceUnavailableException("ref '" + hex + "' is ambiguous in " + location
                    + ": it abbreviates " + commits.size() + " commits");
        }
        if (commits.isEmpty()) {
            throw notFound(hex);
        }
        return commits.get(0);
    }

    private RevCommit commit(RevWalk walk, ObjectId id, String name) throws IOException {
        try {
            RevObject peeled = walk.peel(walk.parseAny(id));
            if (!(peeled instanceof RevCommit commit)) {
                throw new SourceUnavailableException("ref '" + name + "' in " + location + " is not a commit");
            }
            walk.parseBody(commit);
            return commit;
        } catch (MissingObjectException e) {
            throw notFound(name);
        }
    }

    private SourceUnavailableException notFound(String name) {
        return new SourceUnavailableException("ref '" + name + "' not found in " + location);
    }
}
