package dev.nvjrun.runtime.image.registry;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthChallengeTest {

    @Test
    void parsesDockerHubBearerChallenge() {
        AuthChallenge challenge = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertTrue(challenge.isBearer());
        assertEquals("https://auth.docker.io/token", challenge.realm());
        assertEquals("registry.docker.io", challenge.parameters().get("service"));
        assertEquals("repository:library/busybox:pull", challenge.parameters().get("scope"));
    }

    @Test
    void parsesBasicChallenge() {
        AuthChallenge challenge = AuthChallenge.parse("Basic realm=\"nvjrun-test\"");
        assertTrue(challenge.isBasic());
        assertEquals("nvjrun-test", challenge.realm());
    }

    @Test
    void readsDockerHubCredentialsFromConfig(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dXNlcjpwYXNz\"}}}");
        assertEquals(Optional.of(new Credentials("user", "pass")), new DockerConfigCredentials(config).forRegistry("docker.io"));
        assertEquals(Optional.empty(), new DockerConfigCredentials(config).forRegistry("ghcr.io"));
    }

    @Test
    void usesHttpOnlyForLoopbackAndInsecureRegistries() {
        RegistryClient client = new RegistryClient(domain -> Optional.empty(), Set.of("build.local:5000"));
        assertEquals("http://127.0.0.1:5000", client.base("127.0.0.1:5000").toString());
        assertEquals("http://localhost:5000", client.base("localhost:5000").toString());
        assertEquals("http://build.local:5000", client.base("build.local:5000").toString());
        assertEquals("https://nvcr.io", client.base("nvcr.io").toString());
        assertEquals("https://registry-1.docker.io", client.base("docker.io").toString());
    }
}
