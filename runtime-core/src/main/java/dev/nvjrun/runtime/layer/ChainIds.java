package dev.nvjrun.runtime.layer;

import dev.nvjrun.runtime.store.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain ids as the OCI image spec defines them: the id of a layer stacked on its parents,
 * {@code chain(L0) = diff(L0)}, {@code chain(Ln) = sha256(chain(Ln-1) + " " + diff(Ln))}.
 */
public record ChainIds(List<Digest> diffIds) {

    public ChainIds {
        diffIds = List.copyOf(diffIds);
    }

    /** The chain id of every prefix of the stack, bottom first. */
    public List<Digest> chain() {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diff : diffIds) {
            parent = next(parent, diff);
            chain.add(parent);
        }
        return chain;
    }

    public static Digest next(Digest parentChain, Digest diffId) {
        if (parentChain == null) {
            return diffId;
        }
        return Digest.of((parentChain + " " + diffId).getBytes(StandardCharsets.US_ASCII));
    }
}
