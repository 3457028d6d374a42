package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.image.reference.InvalidReferenceException;
import dev.nvjrun.runtime.image.registry.DockerConfigCredentials;
import dev.nvjrun.runtime.image.registry.ImagePuller;
import dev.nvjrun.runtime.image.registry.RegistryClient;
import dev.nvjrun.runtime.image.registry.TerminalPullProgress;

import java.io.PrintStream;
import java.util.Set;

/** The image of {@code run} and {@code create}: from the store, else pulled like Docker does, progress on stderr. */
record ImageResolver(ImageService images, PrintStream progress) {

    Image resolve(String reference) {
        try {
            return images.inspect(reference);
        } catch (ImageException absent) {
            ImageReference parsed;
            try {
                parsed = ImageReference.parse(reference);
            } catch (InvalidReferenceException e) {
                throw new ImageException(e.getMessage(), e);
            }
            progress.println("Unable to find image '" + parsed.familiar() + "' locally");
            RegistryClient registry = new RegistryClient(DockerConfigCredentials.fromEnvironment()::forRegistry, insecureRegistries());
            return new ImagePuller(images, registry, TerminalPullProgress.forConsole(progress, false)).pull(reference);
        }
    }

    /** Registries reached over plain HTTP: {@code NVJRUN_INSECURE_REGISTRIES}, comma separated. */
    private static Set<String> insecureRegistries() {
        String list = System.getenv("NVJRUN_INSECURE_REGISTRIES");
        return list == null || list.isBlank() ? Set.of() : Set.of(list.split(","));
    }
}
