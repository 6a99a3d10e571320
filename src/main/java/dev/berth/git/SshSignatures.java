package dev.berth.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * SSH signatures (git's {@code gpg.format=ssh}), checked by jgit's verifier against the OpenSSH
 * {@code allowed_signers} file of a keys directory, which it reads the way {@code git verify-commit} does
 * (namespaces, valid-after/valid-before against the commit time, certificate authorities).
 */
final class SshSignatures {

    static final String ALLOWED_SIGNERS = "allowed_signers";

    private static final org.eclipse.jgit.lib.SignatureVerifier JGIT = new SshSignatureVerifierFactory().create();

    private SshSignatures() {
    }

    static Verification check(Repository repository, Path keys, String what, byte[] data, byte[] signature)
            throws IOException {
        Path allowedSigners = keys.resolve(ALLOWED_SIGNERS).toAbsolutePath();
        if (!Files.isRegularFile(allowedSigners)) {
            return Verification.untrusted(what, null, "there is no " + allowedSigners);
        }
        // jgit finds the file through git's gpg.ssh.allowedSignersFile setting: a config of berth's own, so the
        // user's and the repository's git config play no part.
        Config config = new Config();
        config.setString(ConfigConstants.CONFIG_GPG_SECTION, ConfigConstants.CONFIG_SSH_SUBSECTION,
                ConfigConstants.CONFIG_KEY_SSH_ALLOWED_SIGNERS_FILE, allowedSigners.toString());
        SignatureVerification result = JGIT.verify(repository, new GpgConfig(config), data, signature);
        if (result.verified()) {
            return Verification.signed(what, result.keyUser(), result.keyFingerprint());
        }
        // jgit gives no message only when the signature does not match the data.
        return Verification.untrusted(what, result.keyFingerprint(),
                result.message() != null ? result.message() : "the signature does not match");
    }
}
