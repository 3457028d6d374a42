package dev.nvjrun.launcher.image;

import picocli.CommandLine.Command;

/**
 * {@code nvjrun image ls|inspect|rm|prune|pull|load|save|import|tag}: Docker's management
 * command, the same code as the top-level {@code images}, {@code rmi}, {@code pull}... commands.
 */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage images.",
        subcommands = {ImageCommand.Ls.class, InspectCommand.class, ImageCommand.Rm.class, ImageCommand.Prune.class,
                PullCommand.class, LoadCommand.class, SaveCommand.class, ImportCommand.class, TagCommand.class})
public final class ImageCommand {

    @Command(name = "ls", mixinStandardHelpOptions = true, aliases = {"list"}, description = "List images.")
    static final class Ls extends ImagesCommand {
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, aliases = {"remove"}, description = "Remove images, and the layers no other image uses.")
    static final class Rm extends RmiCommand {
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove blobs and layers that no image uses.")
    static final class Prune extends SystemCommand.Prune {
    }

}
