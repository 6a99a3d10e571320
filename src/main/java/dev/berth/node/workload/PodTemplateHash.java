package dev.berth.node.workload;

import dev.berth.manifest.ComparableForm;
import java.util.Map;

/**
 * The {@code pod-template-hash} of a Deployment's pod template, spelled as Kubernetes spells it: a 32-bit hash
 * written in an alphabet without vowels (so no words appear in pod names) and without look-alike characters.
 * Equal templates give equal hashes, so pods are named {@code <deployment>-<hash>-<suffix>} and a template
 * change shows in every new pod's name.
 */
public final class PodTemplateHash {

    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplateHash() {}

    public static String of(Map<String, Object> template) {
        String sha256 = ComparableForm.hash(template); // "sha256:<hex>"; its first 32 bits are as good as FNV's
        long value = Long.parseLong(sha256.substring("sha256:".length(), "sha256:".length() + 8), 16);
        return encode(Long.toString(value));
    }

    /** Kubernetes' SafeEncodeString: each character of the decimal number mapped into the safe alphabet. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return out.toString();
    }
}
