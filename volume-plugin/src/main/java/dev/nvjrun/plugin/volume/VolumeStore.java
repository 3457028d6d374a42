package dev.nvjrun.plugin.volume;

import dev.nvjrun.plugin.host.VolumeDir;
import dev.nvjrun.plugin.host.VolumeFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The driver volumes on disk: {@code <root>/<volume>/<version>/{bin,lib,lib64}}, the same place
 * and shape as nvidia-docker 1.0.
 *
 * <p>A volume is built in a hidden temporary directory next to its final place and renamed into
 * place in one step, so a crash never leaves a half volume that looks complete, and two creators
 * racing each other (threads or processes) both end up with the one complete volume. Removal
 * renames first and deletes afterwards for the same reason.
 */
public final class VolumeStore {

    private static final Logger log = LoggerFactory.getLogger(VolumeStore.class);

    /** Digits separated by single dots: never {@code .}, {@code ..} or a path. */
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final String BUILDING_PREFIX = ".building-";
    private static final String REMOVING_PREFIX = ".removing-";
    /** Leftovers younger than this may belong to a creator that is still running. */
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

    private final Path root;
    private final FileCloner cloner;

    /** A store under {@code root}, for example {@code /var/lib/nvidia-docker/volumes}. */
    public VolumeStore(Path root) {
        this(root, FileCloner.linkOrCopy());
    }

    /** A store that puts files into volumes with {@code cloner} (tests inject faults here). */
    public VolumeStore(Path root, FileCloner cloner) {
        this.root = root.toAbsolutePath().normalize();
        this.cloner = cloner;
    }

    public Path root() {
        return root;
    }

    /** Where the volume lives once created; refuses versions that are not plain version numbers. */
    public Path pathOf(DriverVolume volume, String version) throws VolumeException {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new VolumeException("invalid driver version '" + version + "' for volume " + volume.name()
                    + ": a version is digits separated by dots, for example 535.104.05");
        }
        return root.resolve(volume.name()).resolve(version);
    }

    /**
     * Creates the volume unless it exists already, and returns it.
     *
     * @throws VolumeException when a file cannot be placed; nothing of the attempt is left behind
     */
    public InstalledVolume create(DriverVolume volume, String version, List<VolumeFile> files) throws VolumeException {
        Path target = pathOf(volume, version);
        if (Files.isDirectory(target)) {
            return new InstalledVolume(volume.name(), version, target);
        }
        Path parent = target.getParent();
        Path building;
        try {
            Files.createDirectories(parent);
            removeLeftovers(parent);
            building = Files.createTempDirectory(parent, BUILDING_PREFIX + version + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new VolumeException("cannot create volume " + volume.dockerName(version) + " in " + parent + ": "
                    + reason(e) + ". Check that the volume directory is writable (--volumes)", e);
        }
        try {
            populate(building, files);
            Files.setPosixFilePermissions(building, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("created volume {} at {}", volume.dockerName(version), target);
        } catch (IOException e) {
            deleteQuietly(building);
            if (Files.isDirectory(target)) {
                // Someone else finished the same volume first; theirs is as good as ours.
                return new InstalledVolume(volume.name(), version, target);
            }
            throw new VolumeException("cannot create volume " + volume.dockerName(version) + ": " + reason(e)
                    + ". Check the driver files and that " + parent + " is writable", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(building);
            throw e;
        }
        return new InstalledVolume(volume.name(), version, target);
    }

    /** The complete volume of that version, if there is one. */
    public Optional<InstalledVolume> find(DriverVolume volume, String version) throws VolumeException {
        Path path = pathOf(volume, version);
        return Files.isDirectory(path) ? Optional.of(new InstalledVolume(volume.name(), version, path)) : Optional.empty();
    }

    /** The complete volume a Docker name such as {@code nvidia_driver_535.104.05} stands for, if there is one. */
    public Optional<InstalledVolume> find(VolumeName name) throws VolumeException {
        return find(name.volume(), name.version());
    }

    /** Every complete volume of every version, old versions included, sorted by name and version. */
    public List<InstalledVolume> list() throws VolumeException {
        List<InstalledVolume> result = new ArrayList<>();
        for (DriverVolume volume : DriverVolume.ALL) {
            Path dir = root.resolve(volume.name());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String version = entry.getFileName().toString();
                    if (VERSION.matcher(version).matches() && Files.isDirectory(entry)) {
                        result.add(new InstalledVolume(volume.name(), version, entry));
                    }
                }
            } catch (IOException e) {
                throw new VolumeException("cannot list volumes in " + dir + ": " + reason(e)
                        + ". Check that the volume directory is readable", e);
            }
        }
        result.sort(Comparator.comparing(InstalledVolume::volume).thenComparing(InstalledVolume::version));
        return result;
    }

    /** What a volume holds, per directory: the names of its files and links, sorted. */
    public List<String> entries(InstalledVolume volume, VolumeDir dir) throws VolumeException {
        Path path = volume.path().resolve(dir.dirName());
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (var stream = Files.list(path)) {
            return stream.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new VolumeException("cannot read volume " + volume.dockerName() + ": " + reason(e), e);
        }
    }

    /**
     * Removes the volume of that version; returns false when there was none.
     *
     * @throws VolumeException when it cannot be removed
     */
    public boolean remove(DriverVolume volume, String version) throws VolumeException {
        Path target = pathOf(volume, version);
        if (!Files.isDirectory(target)) {
            return false;
        }
        Path doomed = target.resolveSibling(REMOVING_PREFIX + version + "-" + System.nanoTime());
        try {
            Files.move(target, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new VolumeException("cannot remove volume " + volume.dockerName(version) + ": " + reason(e)
                    + ". Check that " + target.getParent() + " is writable", e);
        }
        deleteQuietly(doomed);
        log.info("removed volume {}", volume.dockerName(version));
        return true;
    }

    /** Removes the volume a Docker name stands for; returns false when there was none. */
    public boolean remove(VolumeName name) throws VolumeException {
        return remove(name.volume(), name.version());
    }

    private void populate(Path building, List<VolumeFile> files) throws IOException {
        for (VolumeDir dir : VolumeDir.values()) {
            Files.createDirectory(building.resolve(dir.dirName()));
        }
        for (VolumeFile file : files) {
            Path dir = building.resolve(file.dir().dirName());
            Path source = file.source().toRealPath();
            String fileName = source.getFileName().toString();
            Path placed = dir.resolve(fileName);
            if (Files.exists(placed, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("skipping {}: the volume already holds a file named {}", file.source(), fileName);
                continue;
            }
            cloner.cloneFile(source, placed);
            if (file.soname() != null) {
                linkSoname(dir, fileName, file.soname());
            }
        }
    }

    /** The links ldconfig would make, plus the two nvidia-docker 1.0 added by hand. */
    private static void linkSoname(Path dir, String fileName, String soname) throws IOException {
        if (!isPlainName(soname)) {
            throw new IOException("SONAME '" + soname + "' of " + fileName + " is not a plain file name");
        }
        link(dir, soname, fileName);
        if (soname.startsWith("libcuda")) {
            // Many applications dlopen("libcuda.so") although only the SONAME is guaranteed.
            link(dir, stripVersionSuffix(soname), fileName);
        }
        if (soname.startsWith("libGLX_nvidia")) {
            // GLVND's indirect GLX loads libGLX_indirect.so.0, which NVIDIA provides.
            link(dir, soname.replaceFirst("GLX_nvidia", "GLX_indirect"), fileName);
        }
    }

    private static String stripVersionSuffix(String soname) {
        int end = soname.length();
        while (end > 0 && (Character.isDigit(soname.charAt(end - 1)) || soname.charAt(end - 1) == '.')) {
            end--;
        }
        return soname.substring(0, end);
    }

    private static void link(Path dir, String linkName, String targetName) throws IOException {
        if (linkName.equals(targetName)) {
            return;
        }
        try {
            Files.createSymbolicLink(dir.resolve(linkName), Path.of(targetName));
        } catch (FileAlreadyExistsException e) {
            // Two files with one SONAME: the first keeps the link, as with ldconfig's first match.
        }
    }

    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.equals(".") && !name.equals("..") && name.indexOf('\0') < 0;
    }

    /** Removes what crashed creators and removers left behind, once they are surely dead. */
    private static void removeLeftovers(Path parent) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(LEFTOVER_AGE));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent,
                p -> p.getFileName().toString().startsWith(BUILDING_PREFIX)
                        || p.getFileName().toString().startsWith(REMOVING_PREFIX))) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry).compareTo(cutoff) < 0) {
                    log.info("removing leftover {}", entry);
                    deleteQuietly(entry);
                }
            }
        }
    }

    private static void deleteQuietly(Path tree) {
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", tree, reason(e));
        }
    }

    private static String reason(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof NoSuchFileException ? "no such file " + reason
                : e instanceof FileAlreadyExistsException ? "already exists " + reason : reason;
    }
}
