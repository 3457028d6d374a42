package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.store.Digest;

import java.io.PrintStream;

/** One line per stage change, as Docker prints when its output is not a terminal. */
public final class PlainPullProgress implements PullProgress {

    private final PrintStream out;

    public PlainPullProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void layer(Digest blob, Stage stage, long doneBytes, long totalBytes) {
        if (stage == Stage.DOWNLOADING && doneBytes > 0) {
            return; // byte counts are for terminals; plain output stays one line per stage
        }
        String text = switch (stage) {
            case ALREADY_EXISTS -> "Already exists";
            case DOWNLOADING -> "Downloading";
            case EXTRACTING -> "Extracting";
            case PULL_COMPLETE -> "Pull complete";
        };
        synchronized (out) {
            out.println(blob.shortHex() + ": " + text);
        }
    }
}
