package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.Digest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code nvjrun rmi [-f] IMAGE...}: like Docker, goes on past an image it cannot remove and fails at the end. */
@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove images, and the layers no other image uses.")
public class RmiCommand extends StoreCommand {

    @Option(names = {"-f", "--force"}, description = "Remove an image given by id even when it has several names.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or ids.")
    List<String> names;

    @Override
    public Integer call() {
        ImageService images = images();
        PrintWriter out = out();
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                ImageService.Removal removal = images.remove(name, force);
                for (String untagged : removal.untagged()) {
                    out.println("Untagged: " + ImageName.of(untagged).familiar());
                }
                for (Digest deleted : removal.deleted()) {
                    out.println("Deleted: " + deleted);
                }
            } catch (ImageException e) {
                failures.add(e.getMessage());
            }
        }
        out.flush();
        if (failures.size() == 1) {
            throw new ImageException(failures.get(0));
        }
        if (!failures.isEmpty()) {
            throw new ImageException(failures.size() + " images were not removed: " + String.join(" ", failures));
        }
        return 0;
    }
}
