package dev.berth.pipeline;

import dev.berth.git.GitCredentials;
import dev.berth.git.SignaturePolicy;
import java.nio.file.Path;

/**
 * One plan or validate run: the source, where its manifests and policies are, and what to compare with.
 *
 * @param ref       null for the default (the remote's default branch, or HEAD of a local repository)
 * @param path      directory of the manifests inside the repository ("" for all of it)
 * @param policies  local directory of policies, null for none
 * @param against   null for the default (see {@link Against#parse})
 * @param root      the node's state root
 * @param gitCache  where bare caches of remote repositories are kept
 * @param verify    the signatures the commit must carry; null to take any commit
 * @param allowEmpty take a commit with no manifests under the path (it prunes all that was applied); refused if false
 * @param serverCa  for {@code against} a server over https: the CA certificates to trust (PEM); null for
 *                  {@code $BERTH_CACERT}, else the system's
 */
public record PlanRequest(String repo, String ref, String path, Path policies, String against, Path root,
                          Path gitCache, GitCredentials credentials, SignaturePolicy verify, boolean allowEmpty,
                          Path serverCa) {

    public PlanRequest(String repo, String ref, String path, Path policies, String against, Path root, Path gitCache,
                       GitCredentials credentials, SignaturePolicy verify, boolean allowEmpty) {
        this(repo, ref, path, policies, against, root, gitCache, credentials, verify, allowEmpty, null);
    }

    public PlanRequest withServerCa(Path caFile) {
        return new PlanRequest(repo, ref, path, policies, against, root, gitCache, credentials, verify, allowEmpty,
                caFile);
    }
}
