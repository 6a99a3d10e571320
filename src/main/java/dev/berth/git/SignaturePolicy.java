package dev.berth.git;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which signatures a commit needs before it is applied (Flux's model), and the directory of keys trusted to make
 * them: {@code *.asc} / {@code *.gpg} OpenPGP public keys and an OpenSSH {@code allowed_signers} file.
 */
public record SignaturePolicy(Mode mode, Path keys) {

    public SignaturePolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keys, "keys");
    }

    public enum Mode {
        /** The commit itself is signed. */
        HEAD,
        /** The ref is an annotated tag, signed; its commit need not be. */
        TAG,
        /** Both the tag and the commit it points to are signed. */
        TAG_AND_HEAD;

        /** The config file's spelling: head, tag, tag-and-head. */
        public String spelling() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Mode parse(String spelling) {
            for (Mode mode : values()) {
                if (mode.spelling().equals(spelling)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown verify mode \"" + spelling + "\" (expected "
                    + Arrays.stream(values()).map(Mode::spelling).collect(Collectors.joining(", ")) + ")");
        }
    }
}
