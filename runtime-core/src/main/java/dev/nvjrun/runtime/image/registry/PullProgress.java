package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.store.Digest;

/**
 * Hears what a pull does to each layer; the launcher draws it (a line per layer on a terminal). Layers
 * are fetched in parallel: implementations are called from several threads at once.
 */
public interface PullProgress {

    enum Stage { ALREADY_EXISTS, DOWNLOADING, EXTRACTING, PULL_COMPLETE }

    void layer(Digest blob, Stage stage, long doneBytes, long totalBytes);

    static PullProgress silent() {
        return (blob, stage, done, total) -> { };
    }
}
