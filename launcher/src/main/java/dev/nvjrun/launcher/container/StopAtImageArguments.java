package dev.nvjrun.launcher.container;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Everything after the image (or container) belongs to the container's command, as with Docker:
 * {@code nvjrun run busybox sh -c 'echo hi'} must not read {@code -c} as {@code --cpu-shares}.
 */
final class StopAtImageArguments implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        spec.parser().stopAtPositional(true);
        return spec;
    }
}
