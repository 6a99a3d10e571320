package dev.berth.image;

import dev.berth.core.Digest;
import dev.berth.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OCI chain ids: the identity of a layer together with everything below it, so two images that share their
 * bottom layers share those snapshots. chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " +
 * diffID(Ln)).
 */
public final class ChainIds {

    private ChainIds() {}

    /** One chain id per layer, bottom first. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId : sha256(previous + " " + diffId);
            chain.add(previous);
        }
        return chain;
    }

    public static List<Digest> of(Image image) {
        return of(image.layers().stream().map(Layer::diffId).toList());
    }

    private static Digest sha256(String text) {
        return Digest.sha256(Hashing.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }
}
