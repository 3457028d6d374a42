package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.image.reference.InvalidReferenceException;
import dev.nvjrun.runtime.image.registry.DockerConfigCredentials;
import dev.nvjrun.runtime.image.registry.ImagePuller;
import dev.nvjrun.runtime.image.registry.RegistryClient;
import dev.nvjrun.runtime.image.registry.TerminalPullProgress;
import dev.nvjrun.runtime.store.Digest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;

/** {@code nvjrun pull REF}: Docker's output, with a line per layer redrawn in place on a terminal. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Download an image from a registry.")
public final class PullCommand extends StoreCommand {

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Talk plain HTTP to this registry (loopback registries always may). Repeatable.")
    List<String> insecureRegistries = List.of();

    @Parameters(paramLabel = "NAME[:TAG|@DIGEST]", description = "The image, e.g. busybox or localhost:5000/cuda:12.4.")
    String name;

    @Override
    public Integer call() {
        ImageReference reference = parse(name);
        ImageService images = images();
        var out = out();
        if (reference.digest() == null && !name.endsWith(":" + reference.tag())) {
            out.println("Using default tag: " + reference.tag());
        }
        out.println(reference.manifestReference() + ": Pulling from " + familiarRepository(reference));
        out.flush();
        Digest before = presentManifest(images, reference);
        PrintStream progressOut = new PrintStream(main().rawOut(), true, StandardCharsets.UTF_8);
        var registry = new RegistryClient(DockerConfigCredentials.fromEnvironment()::forRegistry,
                new LinkedHashSet<>(insecureRegistries));
        Image pulled = new ImagePuller(images, registry,
                TerminalPullProgress.forConsole(progressOut, Terminal.ofThisProcess().stdout())).pull(name);
        progressOut.flush();
        out.println("Digest: " + pulled.manifest());
        out.println(pulled.manifest().equals(before)
                ? "Status: Image is up to date for " + reference.familiar()
                : "Status: Downloaded newer image for " + reference.familiar());
        out.println(reference);
        return 0;
    }

    private static ImageReference parse(String text) {
        try {
            return ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    private static String familiarRepository(ImageReference reference) {
        String familiar = reference.familiar();
        int at = familiar.indexOf('@');
        String withoutDigest = at >= 0 ? familiar.substring(0, at) : familiar;
        return reference.tag() != null
                ? withoutDigest.substring(0, withoutDigest.length() - reference.tag().length() - 1)
                : withoutDigest;
    }

    private static Digest presentManifest(ImageService images, ImageReference reference) {
        try {
            return images.inspect(reference.toString()).manifest();
        } catch (ImageException absent) {
            return null;
        }
    }
}
