package dev.berth.server;

import dev.berth.client.PemCertificates;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The daemon's TLS certificate chain and private key, read from PEM files as cert-manager, Let's Encrypt clients and
 * openssl write them: the key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}); cert-manager writes PKCS#1 unless told otherwise. Every failure names the file and what
 * to do about it.
 */
record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {

    static PemKeyPair read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = PemCertificates.read(certFile);
        PrivateKey key = privateKey(keyFile);
        requireMatch(chain.get(0), key, certFile, keyFile);
        return new PemKeyPair(chain, key);
    }

    /** The first private key in the file; parameter blocks ({@code EC PARAMETERS}) and certificates are skipped. */
    private static PrivateKey privateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            for (Object block = pem.readObject(); block != null; block = pem.readObject()) {
                if (block instanceof PrivateKeyInfo pkcs8) {
                    return jdkKey(pkcs8, file);
                }
                if (block instanceof PEMKeyPair pair) { // PKCS#1 or SEC1
                    return jdkKey(pair.getPrivateKeyInfo(), file);
                }
                if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
                    throw new BerthException("the private key in " + file + " is encrypted, and berth watch cannot "
                            + "ask for its passphrase: write it decrypted (openssl pkey -in " + file + " -out "
                            + file + ".plain) and keep that file readable by root only");
                }
            }
        } catch (NoSuchFileException e) {
            throw new BerthException("private key file " + file + " not found", e);
        } catch (IOException e) { // also PEMException: a malformed block or an unknown key algorithm
            throw new BerthException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
        throw new BerthException(file + " holds no private key (expected -----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    /**
     * The key through the JDK's key factory for its algorithm, asked by the name TLS knows it by. (BouncyCastle's
     * converter asks for "ECDSA", which the BouncyCastle provider answers once something registered it, as Apache
     * MINA sshd does for git over ssh: JSSE then finds no "EC" key to serve.)
     */
    private static PrivateKey jdkKey(PrivateKeyInfo info, Path file) {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = PKCSObjectIdentifiers.rsaEncryption.equals(oid) ? "RSA"
                : X9ObjectIdentifiers.id_ecPublicKey.equals(oid) ? "EC" : null;
        if (algorithm == null) {
            throw new BerthException("the private key in " + file + " is neither RSA nor EC (algorithm " + oid
                    + "): berth serves TLS with RSA or ECDSA keys");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new BerthException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** A pair that does not belong together would start fine and fail every handshake: refuse it here instead. */
    private static void requireMatch(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) { // e.g. an EC key with an RSA certificate
            matches = false;
        }
        if (!matches) {
            throw new BerthException("the private key in " + keyFile + " does not belong to the certificate in "
                    + certFile + " (" + certificate.getSubjectX500Principal().getName() + "): give server.tls the "
                    + "key the certificate was issued for");
        }
    }
}
