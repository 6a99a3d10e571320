package dev.berth.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureProcessor;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;

/**
 * The OpenPGP public keys of a keys directory, and checks of OpenPGP signatures against exactly these keys. jgit's
 * own verifier only looks in the user's GnuPG keyring, so BouncyCastle's detached-signature processor does the
 * work; it also rejects signatures by keys that were expired, revoked or not allowed to sign at the time.
 */
final class OpenPgpKeys {

    private final List<OpenPGPCertificate> certificates;

    private OpenPgpKeys(List<OpenPGPCertificate> certificates) {
        this.certificates = certificates;
    }

    /** Every {@code *.asc} (armored) and {@code *.gpg} (binary) file in {@code dir}; a secret key is an error. */
    static OpenPgpKeys load(Path dir) throws IOException {
        List<OpenPGPCertificate> certificates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{asc,gpg}")) {
            for (Path file : files) {
                try {
                    certificates.addAll(new OpenPGPKeyReader().parseCertificates(Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
            }
        }
        return new OpenPgpKeys(certificates);
    }

    /** Checks {@code signature}, as git stores it (armored, detached), over {@code data}. */
    Verification check(String what, byte[] data, byte[] signature) throws IOException {
        PGPSignatureList signatures = parse(signature);
        List<String> problems = new ArrayList<>();
        OpenPGPDetachedSignatureProcessor processor = new OpenPGPDetachedSignatureProcessor()
                .setExceptionCallback(e -> problems.add(e.getMessage()))
                .addSignatures(signatures);
        certificates.forEach(processor::addVerificationCertificate);
        // Only signatures made by one of these keys come back: an unknown key's are dropped here.
        List<OpenPGPDocumentSignature> byKnownKeys = processor.process(new ByteArrayInputStream(data));
        for (OpenPGPDocumentSignature candidate : byKnownKeys) {
            String key = candidate.getIssuer().getKeyIdentifier().toString();
            if (!candidate.isTestedCorrect()) {
                problems.add("the signature does not match");
            } else if (valid(candidate, problems)) {
                OpenPGPCertificate.OpenPGPUserId user = candidate.getIssuerCertificate().getPrimaryUserId();
                return Verification.signed(what, user == null ? key : user.getUserId(), key);
            }
        }
        KeyIdentifier issuer = byKnownKeys.isEmpty()
                ? OpenPGPSignature.getMostExpressiveIdentifier(signatures.get(0).getKeyIdentifiers())
                : byKnownKeys.get(0).getIssuer().getKeyIdentifier();
        return Verification.untrusted(what, issuer == null ? null : issuer.toString(),
                problems.isEmpty() ? null : problems.get(0));
    }

    /** A correct signature is still void if its key was revoked, expired or not a signing key when it was made. */
    private static boolean valid(OpenPGPDocumentSignature signature, List<String> problems) {
        try {
            if (signature.isValid()) {
                return true;
            }
            problems.add("the key was revoked, expired or not for signing on "
                    + signature.getCreationTime().toInstant());
        } catch (PGPException e) {
            problems.add(e.getMessage());
        }
        return false;
    }

    private static PGPSignatureList parse(byte[] signature) throws IOException {
        Object object = OpenPGPImplementation.getInstance()
                .pgpObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))).nextObject();
        if (object instanceof PGPSignatureList list && !list.isEmpty()) {
            return list;
        }
        throw new IOException("not an OpenPGP signature");
    }
}
