package dev.berth.git;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Decides whether a resolved commit may be applied under a {@link SignaturePolicy}. Keys are read from the policy's
 * directory at every call, so adding or removing one takes effect at the next poll. Anything that cannot be checked
 * (an unreadable key, a malformed signature) refuses the commit, with the reason. Safe for concurrent use.
 */
public final class SignatureVerifier {

    private static final byte[] GPGSIG = Constants.encodeASCII("gpgsig");

    private final SignaturePolicy policy;

    public SignatureVerifier(SignaturePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param commit the commit to apply, as resolved from {@code ref}
     * @param ref the full ref it was resolved through ({@link Snapshot#ref()}); must be a tag in the tag modes
     */
    public Verification verify(Repository repository, ObjectId commit, String ref) {
        try (RevWalk walk = new RevWalk(repository)) {
            return switch (policy.mode()) {
                case HEAD -> verifyCommit(repository, walk, commit);
                case TAG -> verifyTag(repository, walk, commit, ref);
                case TAG_AND_HEAD -> {
                    Verification tag = verifyTag(repository, walk, commit, ref);
                    yield tag.trusted() ? both(tag, verifyCommit(repository, walk, commit)) : tag;
                }
            };
        } catch (IOException e) {
            return Verification.refused("cannot verify commit " + commit.name() + ": " + e.getMessage());
        }
    }

    private Verification verifyCommit(Repository repository, RevWalk walk, ObjectId id) throws IOException {
        RevCommit commit = walk.parseCommit(id);
        return check(repository, "commit " + commit.name(), signedPart(commit), commit.getRawGpgSignature());
    }

    private Verification verifyTag(Repository repository, RevWalk walk, ObjectId commit, String ref)
            throws IOException {
        Ref tagRef = ref != null && ref.startsWith(Constants.R_TAGS) ? repository.exactRef(ref) : null;
        if (tagRef == null) {
            return Verification.refused("verify mode " + policy.mode().spelling() + " needs a tag, but the ref is "
                    + (ref == null ? "the default branch" : ref));
        }
        String what = "tag " + Repository.shortenRefName(ref);
        RevObject object = walk.parseAny(tagRef.getObjectId());
        if (!(object instanceof RevTag tag)) {
            return Verification.refused(what + " is not an annotated tag, so it cannot be signed");
        }
        // The tag may have moved since the commit was resolved: its signature would vouch for another commit.
        if (!walk.peel(tag).equals(commit)) {
            return Verification.refused(what + " no longer points to commit " + commit.name());
        }
        byte[] signature = tag.getRawGpgSignature();
        byte[] raw = tag.getRawBuffer();
        // git appends a tag's signature to its message: the signed part is everything before it.
        byte[] signed = signature == null ? raw : Arrays.copyOf(raw, raw.length - signature.length);
        return check(repository, what, signed, signature);
    }

    private Verification check(Repository repository, String what, byte[] data, byte[] signature)
            throws IOException {
        if (signature == null) {
            return Verification.refused(what + " is not signed");
        }
        GpgFormat format = SignatureVerifiers.getFormat(signature);
        if (format == GpgFormat.OPENPGP) {
            return OpenPgpKeys.load(policy.keys()).check(what, data, signature);
        }
        if (format == GpgFormat.SSH) {
            return SshSignatures.check(repository, policy.keys(), what, data, signature);
        }
        return Verification.untrusted(what, null, "berth checks OpenPGP and SSH signatures only");
    }

    /** A commit object without its gpgsig header (and the header's continuation lines): what its signer signed. */
    private static byte[] signedPart(RevCommit commit) {
        byte[] raw = commit.getRawBuffer();
        int value = RawParseUtils.headerStart(GPGSIG, raw, 0);
        if (value < 0) {
            return raw;
        }
        int start = value - GPGSIG.length - 1;
        int end = Math.min(RawParseUtils.nextLfSkippingSplitLines(raw, value) + 1, raw.length);
        byte[] signed = new byte[raw.length - (end - start)];
        System.arraycopy(raw, 0, signed, 0, start);
        System.arraycopy(raw, end, signed, start, raw.length - end);
        return signed;
    }

    private static Verification both(Verification tag, Verification commit) {
        if (!commit.trusted()) {
            return commit;
        }
        return new Verification(true, tag.signer(), tag.key(), tag.reason() + "; " + commit.reason());
    }
}
