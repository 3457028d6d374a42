package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.store.StoreLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code nvjrun save -o FILE IMAGE...}: one docker save archive that Docker itself loads. */
@Command(name = "save", mixinStandardHelpOptions = true, description = "Save images to a docker save archive (default: standard output).")
public final class SaveCommand extends StoreCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or ids of the images to save.")
    List<String> names;

    Terminal terminal = Terminal.ofThisProcess();

    @Override
    public Integer call() {
        if (output != null) {
            images().save(names, output);
            return 0;
        }
        if (terminal.stdout()) {
            throw new ImageException("refusing to write an image archive to a terminal; give a file with -o FILE or redirect the output");
        }
        StoreLayout layout = layout();
        Path file = null;
        try {
            Files.createDirectories(layout.tmp());
            Path dir = Files.createTempDirectory(layout.tmp(), "stdout-");
            file = dir.resolve("image.tar");
            images().save(names, file);
            out().flush();
            OutputStream stdout = main().rawOut();
            Files.copy(file, stdout);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            throw new ImageException("cannot write the archive to standard output: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.getParent());
                } catch (IOException leftForPrune) {
                    // system prune removes what is left in tmp/
                }
            }
        }
    }
}
