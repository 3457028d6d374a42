package dev.nvjrun.runtime.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from {@code ~/.docker/config.json} ({@code auths.<host>.auth}, base64 of
 * {@code user:password}), the file {@code docker login} writes. Credential helpers are not run.
 */
public final class DockerConfigCredentials {

    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path configFile;
    private final ObjectMapper json = new ObjectMapper();

    public DockerConfigCredentials(Path configFile) {
        this.configFile = configFile;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static DockerConfigCredentials fromEnvironment() {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        Path dir = dockerConfig != null && !dockerConfig.isBlank() ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfigCredentials(dir.resolve("config.json"));
    }

    public Optional<Credentials> forRegistry(String domain) {
        if (!Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode auths;
        try {
            auths = json.readTree(configFile.toFile()).path("auths");
        } catch (IOException e) {
            throw new RegistryException("docker configuration " + configFile + " is not valid JSON (" + e.getMessage()
                    + "); fix it or log in again with docker login");
        }
        Iterator<Map.Entry<String, JsonNode>> entries = auths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!hostOf(entry.getKey()).equals(domain) && !(domain.equals("docker.io") && entry.getKey().equals(DOCKER_HUB_KEY))) {
                continue;
            }
            String auth = entry.getValue().path("auth").asText("");
            if (auth.isEmpty()) {
                continue;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("docker configuration " + configFile + " has an auth entry for " + entry.getKey()
                        + " that is not base64; log in again with docker login");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new RegistryException("docker configuration " + configFile + " has an auth entry for " + entry.getKey()
                        + " without user:password; log in again with docker login");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        return Optional.empty();
    }

    private static String hostOf(String key) {
        String host = key.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        return slash >= 0 ? host.substring(0, slash) : host;
    }
}
