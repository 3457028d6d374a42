package dev.nvjrun.launcher.image;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nvjrun tag SOURCE TARGET}. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Give an image another name.")
public final class TagCommand extends StoreCommand {

    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]", description = "An image name or id.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]", description = "The new name.")
    String target;

    @Override
    public Integer call() {
        images().tag(source, target);
        return 0;
    }
}
