package dev.nvjrun.launcher.image;

import dev.nvjrun.launcher.network.ContainerNetworks;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.network.PruneReport;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.StoreUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code nvjrun system df|prune}: the space the state root uses, and reclaiming it. */
@Command(name = "system", mixinStandardHelpOptions = true, description = "Show and reclaim the space that images and layers use.",
        subcommands = {SystemCommand.DiskUsage.class, SystemCommand.Prune.class})
public final class SystemCommand {

    @Command(name = "df", mixinStandardHelpOptions = true, description = "Show disk usage of the state root.")
    static final class DiskUsage extends StoreCommand {
        private static final String ROW = "%-15s %-10s %s%n";

        @Override
        public Integer call() {
            StoreUsage usage = images().diskUsage();
            PrintWriter out = out();
            out.printf(ROW, "TYPE", "TOTAL", "SIZE");
            out.printf(ROW, "Images", usage.images(), new ByteSize(usage.blobBytes() + usage.layerBytes()));
            out.printf(ROW, "Blobs", usage.blobs(), new ByteSize(usage.blobBytes()));
            out.printf(ROW, "Layers", usage.layers(), new ByteSize(usage.layerBytes()));
            return 0;
        }
    }

    /** Removes unused blobs and layers and the leftovers of interrupted commands. */
    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove blobs and layers that no image uses, and leftovers of interrupted commands.")
    static class Prune extends StoreCommand {
        @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
        boolean force;

        /** Standard input and whether it is a terminal, replaced by tests. */
        InputStream stdin = System.in;
        Terminal terminal = Terminal.ofThisProcess();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = out();
            if (!force && !confirmed(out)) {
                return 0;
            }
            ImageService images = images();
            StoreUsage before = images.diskUsage();
            int removed = images.prune();
            StoreUsage after = images.diskUsage();
            long reclaimed = Math.max(0, before.blobBytes() + before.layerBytes() - after.blobBytes() - after.layerBytes());
            out.println("Deleted " + removed + " unused blobs and layers");
            PruneReport network = ContainerNetworks.forRoot(layout().root()).prune(() -> ContainerRuntime.open(layout().root()));
            out.println("Released " + network.attachments() + " network attachments, " + network.rules() + " rules, "
                    + network.leases() + " leases and " + network.links() + " links that no container uses");
            out.println();
            out.println("Total reclaimed space: " + new ByteSize(reclaimed));
            return 0;
        }

        private boolean confirmed(PrintWriter out) throws IOException {
            if (!terminal.stdin()) {
                throw new ImageException("prune asks for confirmation, but standard input is not a terminal; run it with -f to prune without asking");
            }
            out.println("WARNING! This will remove:");
            out.println("  - all blobs and layers that no image uses");
            out.println("  - leftovers of interrupted commands older than an hour");
            out.print("Are you sure you want to continue? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        }
    }
}
