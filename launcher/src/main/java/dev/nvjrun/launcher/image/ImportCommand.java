package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code nvjrun import TARBALL REF}: a one-layer image from a root file system tarball. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Create an image from a root file system tarball (plain, gzip or zstd).")
public final class ImportCommand extends StoreCommand {

    @Parameters(index = "0", paramLabel = "TARBALL", description = "The root file system as a tar file.")
    Path tarball;

    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]", description = "The name to give the image.")
    String reference;

    @Override
    public Integer call() {
        Image image = images().importRootfs(tarball, reference);
        out().println(image.id());
        return 0;
    }
}
