package dev.nvjrun.runtime.container.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A json-file log and its rotated predecessors ({@code <log>.1} is the newest of those), oldest first. */
public record LogFiles(Path current) {

    public List<Path> oldestFirst() {
        List<Path> files = new ArrayList<>();
        for (int i = 1; Files.exists(rotated(i)); i++) {
            files.add(0, rotated(i));
        }
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    private Path rotated(int n) {
        return current.resolveSibling(current.getFileName() + "." + n);
    }
}
