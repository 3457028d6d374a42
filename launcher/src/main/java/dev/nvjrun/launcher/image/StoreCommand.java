package dev.nvjrun.launcher.image;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.StoreLayout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every image command shares: the store of the global {@code --root} and the output. */
abstract class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private ImageService images;

    /** One service per command, as ImageService asks. */
    ImageService images() {
        if (images == null) {
            images = new ImageService(layout());
        }
        return images;
    }

    StoreLayout layout() {
        return new StoreLayout(Main.of(spec).stateRoot());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Main main() {
        return Main.of(spec);
    }
}
