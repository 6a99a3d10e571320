package dev.berth.image;

import dev.berth.core.BerthException;

/** Downloaded or imported bytes do not hash to the digest they were asked for: nothing is stored. */
public class DigestMismatchException extends BerthException {

    public DigestMismatchException(String message) {
        super(message);
    }
}
