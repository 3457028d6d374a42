package dev.nvjrun.runtime.store;

import java.nio.file.Path;

/**
 * Where everything lives under the state root ({@code --root}, {@code NVJRUN_ROOT}, default
 * {@code /var/lib/nvjrun}).
 */
public record StoreLayout(Path root) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/nvjrun");

    public StoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code --root} if given, else {@code NVJRUN_ROOT}, else {@link #DEFAULT_ROOT}. */
    public static StoreLayout resolve(String rootOption, String rootEnvironment) {
        if (rootOption != null && !rootOption.isBlank()) {
            return new StoreLayout(Path.of(rootOption));
        }
        if (rootEnvironment != null && !rootEnvironment.isBlank()) {
            return new StoreLayout(Path.of(rootEnvironment));
        }
        return new StoreLayout(DEFAULT_ROOT);
    }

    public Path blobs() {
        return root.resolve("blobs").resolve("sha256");
    }

    /** Partial downloads and imports; never read as content. */
    public Path ingest() {
        return root.resolve("blobs").resolve("ingest");
    }

    public Path layers() {
        return root.resolve("layers");
    }

    /** Short symbolic links to layer directories, keeping overlay mount options small. */
    public Path layerLinks() {
        return root.resolve("l");
    }

    public Path snapshots() {
        return root.resolve("snapshots");
    }

    public Path containers() {
        return root.resolve("containers");
    }

    public Path imageIndex() {
        return root.resolve("images.json");
    }

    public Path lockFile() {
        return root.resolve("store.lock");
    }

    /** Scratch space on the same file system as the store, so that renames stay atomic. */
    public Path tmp() {
        return root.resolve("tmp");
    }
}
