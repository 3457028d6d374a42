package dev.nvjrun.e2e.packaging;

import dev.nvjrun.e2e.Distribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the build made for installing nvjrun, checked with the tools that consume it: the systemd
 * unit (systemd-analyze, and the plugin's own option parser), the bash completion (bash itself),
 * the man pages (man and groff) and, after `make deb`, the package (dpkg-deb, and dpkg installing
 * it into a scratch root). Builds nothing itself.
 */
class InstallableDistributionTest {

    @TempDir
    static Path tmp;
    static Distribution dist;
    static Path build;
    static Path unit;

    @BeforeAll
    static void locate() {
        dist = Distribution.installed();
        build = dist.bin().getParent();
        unit = build.getParent().resolve("packaging/systemd/nvjrun-plugin.service");
    }

    @Test
    void pluginUnitVerifiesWithSystemdAndComesUpBeforeDocker() throws Exception {
        String text = Files.readString(unit);
        assertTrue(text.contains("\nRestart=on-failure\n"), text);
        assertTrue(text.contains("\nBefore=docker.service\n"), text);
        assertTrue(text.contains("\nWants=docker.service\n"), text);

        // A root holding systemd's own units, so that verify resolves the unit's dependencies, and
        // an executable at ExecStart's path; man pages from the build, for Documentation=man:.
        Path root = tmp.resolve("unit-root");
        Path units = root.resolve("lib/systemd/system");
        Files.createDirectories(units);
        Files.createDirectories(root.resolve("usr/bin"));
        run("cp -a /lib/systemd/system/. " + units + " && cp " + unit + " " + units
                + " && cp " + dist.bin().resolve("nvjrun-plugin") + " " + root.resolve("usr/bin/nvjrun-plugin"));
        Distribution.Result verify = run("MANPATH=" + build.resolve("share/man")
                + " systemd-analyze verify --root=" + root + " " + units.resolve("nvjrun-plugin.service"));
        assertEquals(0, verify.status(), verify.err());
        assertEquals("", verify.err().strip(), "systemd-analyze warned");
        run("rm -rf " + root); // systemd's units link to /dev/null, which JUnit's clean-up warns about
    }

    @Test
    void pluginUnitPassesOnlyFlagsThePluginAccepts() throws Exception {
        String execStart = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> words = List.of(execStart.substring("ExecStart=".length()).split(" +"));
        assertEquals("/usr/bin/nvjrun-plugin", words.get(0));
        String flags = words.stream().skip(1).filter(w -> !w.startsWith("$")).collect(Collectors.joining(" "));
        assertTrue(flags.contains("--listen localhost:3476") && flags.contains("--socket-dir /run/docker/plugins"), flags);
        // The unit's flags plus one unknown probe: picocli names every option it does not know, so
        // only the probe may be named; a flag missing its value would take the probe as its value
        // instead. The empty driver root stops the daemon before it listens, should it get that far.
        Path noDriver = Files.createDirectories(tmp.resolve("no-driver"));
        Distribution.Result r = dist.sh("nvjrun-plugin " + flags + " --no-such-probe",
                Map.of("NVJRUN_DRIVER_ROOT", noDriver.toString()));
        assertEquals(125, r.status(), r.err());
        assertEquals("nvjrun: Unknown option: '--no-such-probe'", r.err().lines().findFirst().orElse(""), r.err());
    }

    @Test
    void bashCompletesCommandsAndTheirOptions() throws Exception {
        Path script = tmp.resolve("complete.bash");
        Files.writeString(script, """
                source "$1" 2>/dev/null
                fn=$(complete -p nvjrun | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
                complete_line() {
                  COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<"$COMP_LINE"
                  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
                  "$fn" nvjrun "${COMP_WORDS[COMP_CWORD]}" 2>/dev/null
                  echo "$COMP_LINE => ${COMPREPLY[*]}"
                }
                complete_line "nvjrun ru"
                complete_line "nvjrun run --net"
                complete_line "nvjrun gpu i"
                """);
        Distribution.Result r = run("bash " + script + " " + build.resolve("share/bash-completion/nvjrun"));
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertEquals(Set.of("run"), offered(lines.get(0)));
        assertTrue(offered(lines.get(1)).contains("--network"), lines.get(1));
        assertFalse(offered(lines.get(1)).contains("--rm"), lines.get(1));
        assertEquals(Set.of("info"), offered(lines.get(2)));
    }

    @Test
    void everyCommandHasAManPageThatManRenders() throws Exception {
        Path man1 = build.resolve("share/man/man1");
        Distribution.Result help = dist.sh("nvjrun --help");
        Set<String> commands = commandsIn(help.out());
        assertTrue(commands.contains("run") && commands.contains("plugin"), help.out());
        for (String command : commands) {
            assertTrue(Files.exists(man1.resolve("nvjrun-" + command + ".1")), "no man page for nvjrun " + command);
        }
        Distribution.Result run = run("MANWIDTH=80 man -l " + man1.resolve("nvjrun-run.1"));
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("nvjrun-run - Create and run a container from an image."), run.out());
        assertTrue(run.out().contains("--network, --net=NETWORK"), run.out());
        Distribution.Result top = run("MANWIDTH=80 man -l " + man1.resolve("nvjrun.1"));
        assertTrue(top.out().contains("See nvjrun-run(1)"), top.out());
        // groff's warnings (-ww) catch what man would show garbled: unescaped requests, bad characters.
        Distribution.Result groff = run("for f in " + man1 + "/*.1; do groff -man -ww -z -Tutf8 \"$f\" || exit 1; done");
        assertEquals(0, groff.status(), groff.err());
        assertEquals("", groff.err());
    }

    @Test
    void debHasTheInstalledLayoutAndDependsOnTheLaunchersJdk() throws Exception {
        Path deb = builtDeb().orElse(null);
        assumeTrue(deb != null, "no build/nvjrun_*.deb: run `make deb` to check the package");
        String version = dist.sh("nvjrun --version").out().strip().replace("nvjrun version ", "");
        assertEquals(version.replace('-', '~'), field(deb, "Version"));
        assertEquals("nvjrun", field(deb, "Package"));
        String arch = run("dpkg --print-architecture").out().strip();
        assertEquals(arch, field(deb, "Architecture"));
        Matcher jdk = Pattern.compile("/usr/lib/jvm/(temurin-\\d+-jdk)-" + arch + "/bin/java").matcher(Files.readString(dist.bin().resolve("nvjrun")));
        if (jdk.find()) {
            assertTrue(field(deb, "Depends").startsWith(jdk.group(1) + ","), field(deb, "Depends"));
            assertTrue(!field(deb, "Depends").contains("iproute2"), "links and routes are netlink requests: " + field(deb, "Depends"));
        }
        String list = run("dpkg-deb -c " + deb).out();
        for (String path : List.of("./usr/lib/nvjrun/bin/nvjrun", "./usr/lib/nvjrun/bin/nvjrun-plugin",
                "./usr/bin/nvjrun -> ../lib/nvjrun/bin/nvjrun", "./usr/bin/nvjrun-plugin -> ../lib/nvjrun/bin/nvjrun-plugin",
                "./lib/systemd/system/nvjrun-plugin.service", "./usr/share/bash-completion/completions/nvjrun",
                "./usr/share/man/man1/nvjrun.1.gz", "./usr/share/man/man1/nvjrun-plugin.1.gz",
                "./usr/share/doc/nvjrun/copyright")) {
            assertTrue(list.lines().anyMatch(l -> l.endsWith(" " + path)), path + " not in\n" + list);
        }
        assertTrue(list.lines().allMatch(l -> l.contains(" root/root ")), list);
    }

    @Test
    void debInstalledWithDpkgRunsFromUsrLibNvjrunOnItsAotCache() throws Exception {
        Path deb = builtDeb().orElse(null);
        assumeTrue(deb != null, "no build/nvjrun_*.deb: run `make deb` to check the package");
        Path root = tmp.resolve("dpkg-root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        // Chrootless: the maintainer scripts run here, where systemd does not run (they skip it).
        String dpkg = "dpkg --root=" + root + " --force-script-chrootless --log=/dev/null ";
        Distribution.Result install = run(dpkg + "--force-depends -i " + deb);
        assertEquals(0, install.status(), install.err());
        boolean cached = Files.exists(root.resolve("usr/lib/nvjrun/lib/nvjrun.aot"));
        // At its real path: /usr/lib and /usr/bin overlaid with the package's, in a mount namespace
        // of this command only. -XX:AOTMode=on fails instead of running without the cache.
        Distribution.Result version = run("unshare -m sh -c 'mount --make-rprivate / && "
                + "mount -t overlay overlay -o lowerdir=" + root + "/usr/lib:/usr/lib /usr/lib && "
                + "mount -t overlay overlay -o lowerdir=" + root + "/usr/bin:/usr/bin /usr/bin && "
                + "readlink -f /usr/bin/nvjrun && JAVA_TOOL_OPTIONS=\"" + (cached ? "-XX:AOTMode=on " : "")
                + "-Xlog:class+load\" /usr/bin/nvjrun version'");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("/usr/lib/nvjrun/bin/nvjrun\n"), version.out());
        assertTrue(version.out().contains("nvjrun version "), version.out());
        long fromCache = version.out().lines().filter(l -> l.contains("source: shared objects file")).count();
        if (cached) {
            assertTrue(fromCache > 1000, "classes from the AOT cache: " + fromCache);
        }
        Distribution.Result remove = run(dpkg + "-r nvjrun");
        assertEquals(0, remove.status(), remove.err());
        assertFalse(Files.exists(root.resolve("usr/lib/nvjrun")));
    }

    private static Optional<Path> builtDeb() throws IOException {
        try (Stream<Path> files = Files.list(build)) {
            return files.filter(f -> f.getFileName().toString().matches("nvjrun_.*_[a-z0-9]+\\.deb")).findFirst();
        }
    }

    private static String field(Path deb, String name) throws Exception {
        return run("dpkg-deb -f " + deb + " " + name).out().strip();
    }

    /** The words COMPREPLY held, after the "=>" the script printed. */
    private static Set<String> offered(String line) {
        String words = line.substring(line.indexOf("=>") + 2).strip();
        return words.isEmpty() ? Set.of() : new TreeSet<>(List.of(words.split(" ")));
    }

    /** The names under "Commands:" in picocli's help. */
    private static Set<String> commandsIn(String help) {
        Set<String> names = new TreeSet<>();
        boolean inCommands = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.matches("  \\S.*")) {
                names.add(line.strip().split("\\s+")[0].replace(",", ""));
            }
        }
        return names;
    }

    private static Distribution.Result run(String script) throws Exception {
        return dist.sh(script);
    }
}
