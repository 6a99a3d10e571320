package dev.berth.git;

/**
 * The outcome of checking a commit against a {@link SignaturePolicy}. {@code signer} (a user id or allowed-signers
 * principal) and {@code key} (the signing key's fingerprint) are null when unknown; {@code reason} is one sentence for
 * logs and status, saying why a commit was refused or who signed it. In tag-and-head mode the signer and key are the
 * tag's, and the reason names both signers.
 */
public record Verification(boolean trusted, String signer, String key, String reason) {

    static Verification signed(String what, String signer, String key) {
        return new Verification(true, signer, key, what + " is signed by " + signer + " (key " + key + ")");
    }

    static Verification refused(String reason) {
        return new Verification(false, null, null, reason);
    }

    static Verification untrusted(String what, String key, String detail) {
        return new Verification(false, null, key, what + " is not signed by a trusted key"
                + (key == null ? "" : " (key " + key + ")") + (detail == null ? "" : ": " + detail));
    }
}
