package dev.berth.git;

import dev.berth.core.SourceUnavailableException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/** Turns jgit's nested transport exceptions into one line a user can act on, without any secret in it. */
final class TransportErrors {

    private static final Pattern AUTH = Pattern.compile(
            "(?i)not authorized|authentication|auth fail|\\b401\\b|permission denied \\(publickey");

    // jgit prefixes most messages with the URL, which our own message already names.
    private static final Pattern URL_PREFIX = Pattern.compile("^\\S*/\\S*: ");

    private TransportErrors() {
    }

    static SourceUnavailableException explain(RepoAddress address, Exception error, GitCredentials credentials,
            StrictSshSessionFactory ssh) {
        String where = address.display();
        if (ssh != null && ssh.rejectedHost() != null) {
            return failure("ssh host key of " + ssh.rejectedHost() + " is not in " + ssh.knownHosts()
                    + " (or does not match it)", error, credentials);
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NoRemoteRepositoryException) {
                return failure("not a git repository: " + where, error, credentials);
            }
            if (t.getMessage() != null && AUTH.matcher(t.getMessage()).find()) {
                return failure("authentication failed for " + where, error, credentials);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof InterruptedIOException) {
                return failure("cannot reach " + where + ": " + firstLine(t), error, credentials);
            }
        }
        return failure("cannot fetch " + where + ": " + firstLine(deepest(error)), error, credentials);
    }

    private static SourceUnavailableException failure(String message, Exception cause, GitCredentials credentials) {
        String password = credentials.password();
        String safe = password == null ? message : message.replace(password, "<redacted>");
        return new SourceUnavailableException(safe, cause);
    }

    private static Throwable deepest(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        return URL_PREFIX.matcher(message.lines().findFirst().orElse(message)).replaceFirst("");
    }
}
