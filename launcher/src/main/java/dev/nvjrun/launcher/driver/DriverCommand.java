package dev.nvjrun.launcher.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvjrun.driver.catalog.Capability;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.catalog.DriverFile;
import dev.nvjrun.driver.ldcache.LdCache;
import dev.nvjrun.driver.ldcache.LdCachePrinter;
import dev.nvjrun.launcher.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nvjrun driver list|ldcache}: what nvjrun found of the host driver, without NVML. */
@Command(name = "driver", description = "Show the host driver's files.",
        subcommands = {DriverCommand.ListFiles.class, DriverCommand.Ldcache.class})
public final class DriverCommand {

    @Command(name = "list", description = "Every driver file nvjrun would give a container, with its capability and kind.")
    static final class ListFiles implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--capabilities", paramLabel = "LIST", defaultValue = "all",
                description = "Comma-separated capabilities (utility, compute, video, graphics, display, ngx, compat32, all). Default: ${DEFAULT-VALUE}.")
        String capabilities;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DriverCatalog catalog = Main.of(spec).host().catalog();
            var wanted = Capability.parse(capabilities);
            List<DriverFile> files = catalog.find(wanted, catalog.installedLibraryVersion());
            var out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = files.stream().map(DriverCommand::row).toList();
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } else {
                out.printf("%-9s %-9s %s%n", "KIND", "CAPABILITY", "PATH");
                for (DriverFile f : files) {
                    out.printf("%-9s %-9s %s%n", f.kind().toString().toLowerCase(), f.capability(), f.hostPath());
                }
            }
            out.flush();
            return 0;
        }
    }

    private static Map<String, Object> row(DriverFile f) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", f.hostPath().toString());
        row.put("capability", f.capability().toString());
        row.put("kind", f.kind().toString().toLowerCase());
        row.put("soname", f.soname().orElse(null));
        return row;
    }

    @Command(name = "ldcache", description = "Print an ld.so.cache exactly as `ldconfig -p` does.")
    static final class Ldcache implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--file", paramLabel = "FILE",
                description = "The cache to read (default: the driver root's /etc/ld.so.cache).")
        Path file;

        @Override
        public Integer call() throws Exception {
            Path cache = file != null ? file : Main.of(spec).host().catalog().cacheFile();
            byte[] text = new LdCachePrinter().print(LdCache.read(cache), cache.toString());
            // Bytes, not characters: the output must equal ldconfig's whatever the locale.
            var stdout = Main.of(spec).rawOut();
            spec.commandLine().getOut().flush();
            stdout.write(text);
            stdout.flush();
            return 0;
        }
    }
}
