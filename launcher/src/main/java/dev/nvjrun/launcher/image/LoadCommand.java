package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.store.StoreLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code nvjrun load [-i FILE]}: a docker save archive, an OCI archive or an OCI layout directory. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Load images from a docker save archive, an OCI archive or an OCI layout (default: standard input).")
public final class LoadCommand extends StoreCommand {

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from this archive or OCI layout directory instead of standard input.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    /** Standard input, replaced by tests. */
    InputStream stdin = System.in;
    Terminal terminal = Terminal.ofThisProcess();

    @Override
    public Integer call() {
        Set<String> before = new HashSet<>();
        for (Image image : images().list()) {
            image.references().forEach(reference -> before.add(reference + "=" + image.manifest()));
        }
        List<Image> loaded = input != null ? images().load(input) : loadStandardInput();
        if (!quiet) {
            var out = out();
            for (Image image : loaded) {
                for (String reference : namesFromTheArchive(image, before)) {
                    out.println("Loaded image: " + ImageName.of(reference).familiar());
                }
                if (image.references().isEmpty()) {
                    out.println("Loaded image ID: " + image.id());
                }
            }
        }
        return 0;
    }

    /**
     * The names this load gave the image, not those it had already (Docker prints the archive's
     * names); an archive loaded again changes nothing, so then all its names are printed.
     */
    private static List<String> namesFromTheArchive(Image image, Set<String> before) {
        List<String> added = image.references().stream()
                .filter(reference -> !before.contains(reference + "=" + image.manifest()))
                .toList();
        return added.isEmpty() ? image.references() : added;
    }

    private List<Image> loadStandardInput() {
        if (terminal.stdin()) {
            throw new ImageException("standard input is a terminal, not an image archive; give one with -i FILE or pipe it in");
        }
        StoreLayout layout = layout();
        Path copy = null;
        try {
            Files.createDirectories(layout.tmp());
            // The archive is read twice (index first, then blobs), so standard input is kept in the store's scratch space.
            copy = Files.createTempFile(layout.tmp(), "stdin-", ".tar");
            if (Files.copy(stdin, copy, StandardCopyOption.REPLACE_EXISTING) == 0) {
                throw new ImageException("standard input is empty; pipe an image archive in or give one with -i FILE");
            }
            try {
                return images().load(copy);
            } catch (ImageException e) {
                // the user gave standard input, not our scratch file: name what they know
                throw new ImageException(e.getMessage().replace(copy.toString(), "the archive from standard input"), e);
            }
        } catch (IOException e) {
            throw new ImageException("cannot keep the archive from standard input under " + layout.tmp() + ": "
                    + e.getMessage() + "; check that the state root is writable and has space", e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException leftForPrune) {
                    // system prune removes what is left in tmp/
                }
            }
        }
    }
}
