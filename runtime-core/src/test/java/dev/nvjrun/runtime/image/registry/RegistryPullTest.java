package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.OciLayoutFixture;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.snapshot.Snapshotter;
import dev.nvjrun.runtime.snapshot.StorageDriver;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.StoreLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pulls from a real docker-registry on loopback, filled by skopeo from a layout built from busybox-static. */
class RegistryPullTest {

    @TempDir
    static Path shared;
    static LocalRegistry registry;
    static LocalRegistry lockedRegistry;
    static TokenServer tokenServer;
    static LocalRegistry tokenRegistry;

    @TempDir
    Path tmp;
    final NativeFiles nativeFiles = new NativeFiles();

    @BeforeAll
    static void startRegistries() throws Exception {
        registry = LocalRegistry.start(shared.resolve("registry"), false);
        lockedRegistry = LocalRegistry.start(shared.resolve("locked"), true);
        Path layout = OciLayoutFixture.write(shared.resolve("layout"), OciLayoutFixture.busyboxLayers(), "latest");
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "oci:" + layout + ":latest", "docker://" + registry.address() + "/test/busybox:1");
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "--dest-creds", LocalRegistry.USER + ":" + LocalRegistry.PASSWORD,
                "oci:" + layout + ":latest", "docker://" + lockedRegistry.address() + "/private/busybox:1");
        tokenServer = TokenServer.start(shared.resolve("token"));
        tokenRegistry = LocalRegistry.start(shared.resolve("token-registry"), LocalRegistry.Auth.TOKEN, tokenServer);
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "--dest-creds", LocalRegistry.USER + ":" + LocalRegistry.PASSWORD,
                "oci:" + layout + ":latest", "docker://" + tokenRegistry.address() + "/private/busybox:1");
        Path multi = OciLayoutFixture.writeMultiPlatform(shared.resolve("multi"), OciLayoutFixture.busyboxLayers(), "latest");
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "--all", "--dest-tls-verify=false",
                "oci:" + multi + ":latest", "docker://" + registry.address() + "/test/multi:1");
    }

    @AfterAll
    static void stopRegistries() {
        if (registry != null) {
            registry.close();
        }
        if (lockedRegistry != null) {
            lockedRegistry.close();
        }
        if (tokenRegistry != null) {
            tokenRegistry.close();
        }
        if (tokenServer != null) {
            tokenServer.close();
        }
    }

    private record Event(Digest blob, PullProgress.Stage stage) {
    }

    private ImagePuller puller(ImageService images, List<Event> events, Optional<Credentials> login) {
        RegistryClient client = new RegistryClient(domain -> login, Set.of());
        // Layers are fetched in parallel, so the progress listener is called from several threads at once.
        return new ImagePuller(images, client, (blob, stage, done, total) -> {
            synchronized (events) {
                events.add(new Event(blob, stage));
            }
        });
    }

    @Test
    void pullsMountsAndReusesLayers() throws IOException {
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        ImageService images = new ImageService(layout, nativeFiles);
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        String reference = registry.address() + "/test/busybox:1";
        Image image = puller(images, events, Optional.empty()).pull(reference);
        assertEquals(List.of(reference), image.references());
        assertEquals(2, events.stream().filter(e -> e.stage() == PullProgress.Stage.PULL_COMPLETE).count());

        Snapshotter overlay = StorageDriver.OVERLAY.open(layout, nativeFiles);
        overlay.prepare("pulled", images.layerPaths(image));
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        overlay.mount("pulled", rootfs);
        try {
            assertArrayEquals(OciLayoutFixture.busybox(), Files.readAllBytes(rootfs.resolve("bin/busybox")));
            assertFalse(Files.exists(rootfs.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS));
            try (Stream<Path> data = Files.list(rootfs.resolve("opt/data"))) {
                assertEquals(List.of(rootfs.resolve("opt/data/new")), data.toList());
            }
        } finally {
            overlay.unmount(rootfs);
            overlay.remove("pulled");
        }

        events.clear();
        Image again = puller(images, events, Optional.empty()).pull(reference);
        assertEquals(image.id(), again.id());
        assertEquals(List.of(PullProgress.Stage.ALREADY_EXISTS, PullProgress.Stage.ALREADY_EXISTS),
                events.stream().map(Event::stage).toList(), "a second pull fetches no layer");

        Image byDigest = puller(images, events, Optional.empty()).pull(registry.address() + "/test/busybox@" + image.manifest());
        assertEquals(image.id(), byDigest.id());
    }

    @Test
    void resolvesManifestListToLinuxAmd64() {
        ImageService images = new ImageService(new StoreLayout(tmp.resolve("root")), nativeFiles);
        Image image = puller(images, new ArrayList<>(), Optional.empty()).pull(registry.address() + "/test/multi:1");
        assertEquals("amd64", image.config().architecture());
        assertTrue(Files.isRegularFile(images.layerPaths(image).get(0).resolve("bin/busybox")));
    }

    @Test
    void logsInWithCredentialsFromDockerConfig() throws IOException {
        Path config = tmp.resolve("docker/config.json");
        Files.createDirectories(config.getParent());
        String auth = java.util.Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes());
        Files.writeString(config, "{\"auths\":{\"" + lockedRegistry.address() + "\":{\"auth\":\"" + auth + "\"}}}");
        ImageService images = new ImageService(new StoreLayout(tmp.resolve("root")), nativeFiles);
        RegistryClient client = new RegistryClient(new DockerConfigCredentials(config)::forRegistry, Set.of());
        Image image = new ImagePuller(images, client, PullProgress.silent()).pull(lockedRegistry.address() + "/private/busybox:1");
        assertEquals(2, image.chainIds().size());
    }

    @Test
    void getsBearerTokenFromTheRealmTheRegistryNames() {
        ImageService images = new ImageService(new StoreLayout(tmp.resolve("root")), nativeFiles);
        int before = tokenServer.requests;
        Image image = puller(images, new ArrayList<>(), Optional.of(new Credentials(LocalRegistry.USER, LocalRegistry.PASSWORD)))
                .pull(tokenRegistry.address() + "/private/busybox:1");
        assertEquals(2, image.chainIds().size());
        assertEquals(before + 1, tokenServer.requests, "one token serves the manifest and all blobs");
        RegistryException refused = assertThrows(RegistryException.class, () -> puller(
                new ImageService(new StoreLayout(tmp.resolve("other")), nativeFiles), new ArrayList<>(), Optional.empty())
                .pull(tokenRegistry.address() + "/private/busybox:1"));
        assertTrue(refused.getMessage().contains("refused a token") && refused.getMessage().contains("docker login"),
                refused.getMessage());
    }

    @Test
    void refusesPrivateRepositoryWithoutLoginWithAHint() {
        ImageService images = new ImageService(new StoreLayout(tmp.resolve("root")), nativeFiles);
        RegistryException e = assertThrows(RegistryException.class, () -> puller(images, new ArrayList<>(), Optional.empty())
                .pull(lockedRegistry.address() + "/private/busybox:1"));
        assertTrue(e.getMessage().contains("docker login"), e.getMessage());
        assertEquals(List.of(), images.list());
    }

    @Test
    void reportsMissingTagAndUnreachableRegistryClearly() throws IOException {
        ImageService images = new ImageService(new StoreLayout(tmp.resolve("root")), nativeFiles);
        RegistryException missing = assertThrows(RegistryException.class,
                () -> puller(images, new ArrayList<>(), Optional.empty()).pull(registry.address() + "/test/busybox:nope"));
        assertTrue(missing.getMessage().contains("was not found"), missing.getMessage());
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RegistryException unreachable = assertThrows(RegistryException.class,
                () -> puller(images, new ArrayList<>(), Optional.empty()).pull("127.0.0.1:" + closedPort + "/x:1"));
        assertTrue(unreachable.getMessage().contains("cannot reach registry"), unreachable.getMessage());
        assertEquals(List.of(), images.list());
    }
}
