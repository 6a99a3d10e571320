package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.core.InvalidInputException;
import dev.berth.core.SourceLocation;
import dev.berth.git.GitCredentials;
import dev.berth.pipeline.PlanRequest;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the desired state comes from; each falls back to the config file's {@code source:}. */
final class SourceOptions {

    @Option(names = "--repo", paramLabel = "URL|PATH",
            description = "Git repository: a local path, file://, http(s)://, git:// or ssh:// URL. Only committed content is read.")
    String repo;

    @Option(names = "--ref", paramLabel = "REF",
            description = "Branch, tag or commit (default: the remote's default branch; HEAD for a local repository).")
    String ref;

    @Option(names = "--path", paramLabel = "DIR", description = "Directory of the manifests inside the repository (default: all of it).")
    String path;

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Local directory of ValidatingAdmissionPolicy files (default: the config's source.policies; none if unset).")
    Path policies;

    @Option(names = "--allow-empty",
            description = "Accept a commit with no manifests under the path, which removes all that berth applied "
                    + "(default: the config's source.allowEmpty, else refused: a wrong --path or a bad merge would "
                    + "otherwise wipe the node).")
    boolean allowEmpty;

    /** The request for one run, with the options given, else the config file's values. */
    PlanRequest request(GlobalOptions global, String against, Path gitCache) {
        BerthConfig config = global.config();
        return new PlanRequest(repo(config), ref != null ? ref : config.source().ref(), path(config),
                policies != null ? policies : config.source().policies(), against, global.root(), gitCache,
                GitCredentials.fromEnvironment(System.getenv()), config.source().verify(),
                allowEmpty || config.source().allowEmpty());
    }

    private String repo(BerthConfig config) {
        String r = repo != null ? repo : config.source().repo();
        if (r == null) {
            throw new InvalidInputException(SourceLocation.of("--repo"), "no repository: pass --repo or set source.repo in the config file");
        }
        return r;
    }

    private String path(BerthConfig config) {
        String p = path != null ? path : config.source().path();
        return p == null ? "" : p;
    }
}
