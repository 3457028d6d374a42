package dev.nvjrun.runtime.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.image.oci.MediaTypes;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.store.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The read side of the OCI distribution API: manifests and blobs, with bearer-token and basic
 * authentication as the registry's {@code WWW-Authenticate} challenge asks. HTTPS everywhere
 * except loopback registries and those named insecure, which get plain HTTP.
 */
public final class RegistryClient {

    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private static final int MAX_REDIRECTS = 5;

    /** A manifest or index as the registry served it. */
    public record FetchedManifest(String mediaType, byte[] body, Digest digest) {
    }

    private final HttpClient http;
    private final Function<String, Optional<Credentials>> credentials;
    private final Set<String> insecureRegistries;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    public RegistryClient(Function<String, Optional<Credentials>> credentials, Set<String> insecureRegistries) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build(), credentials, insecureRegistries);
    }

    public RegistryClient(HttpClient http, Function<String, Optional<Credentials>> credentials, Set<String> insecureRegistries) {
        this.http = http;
        this.credentials = credentials;
        this.insecureRegistries = Set.copyOf(insecureRegistries);
    }

    /** The API base of a registry: plain HTTP for loopback and insecure registries. */
    public URI base(String domain) {
        if (domain.equals(ImageReference.DEFAULT_DOMAIN)) {
            return URI.create("https://registry-1.docker.io");
        }
        String host = domain.replaceFirst(":[0-9]+$", "");
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return URI.create((loopback || insecureRegistries.contains(domain) ? "http://" : "https://") + domain);
    }

    public FetchedManifest manifest(ImageReference image, String reference) {
        URI uri = base(image.domain()).resolve("/v2/" + image.repository() + "/manifests/" + reference);
        HttpResponse<InputStream> response = send(image, uri, "GET", ACCEPT);
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                throw new RegistryException("image " + image + " was not found in registry " + image.domain()
                        + " (manifest " + reference + "); check the name and tag");
            }
            expectOk(image, uri, response);
            byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new RegistryException("registry " + image.domain() + " sent a manifest for " + image + " larger than "
                        + MAX_MANIFEST_BYTES + " bytes; refusing it");
            }
            String mediaType = response.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").strip();
            if (mediaType.isEmpty() || mediaType.equals("application/json")) {
                JsonNode parsed = json.readTree(bytes);
                mediaType = parsed.path("mediaType").asText(parsed.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
            }
            return new FetchedManifest(mediaType, bytes, Digest.of(bytes));
        } catch (IOException e) {
            throw unreachable(image, uri, e);
        }
    }

    /** Opens a blob's content; the caller verifies the digest while storing it. */
    public InputStream blob(ImageReference image, Digest digest) {
        URI uri = base(image.domain()).resolve("/v2/" + image.repository() + "/blobs/" + digest);
        HttpResponse<InputStream> response = send(image, uri, "GET", "*/*");
        for (int hop = 0; isRedirect(response.statusCode()); hop++) {
            // storage back-ends use pre-signed URLs and refuse the registry's token, so it is not sent along
            URI location = uri.resolve(response.headers().firstValue("Location").orElseThrow(
                    () -> new RegistryException("registry " + image.domain() + " redirected without a Location")));
            close(response);
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException("registry " + image.domain() + " redirected blob " + digest + " too often");
            }
            response = sendPlain(image, HttpRequest.newBuilder(location).GET().build());
        }
        if (response.statusCode() == 404) {
            close(response);
            throw new RegistryException("registry " + image.domain() + " lacks blob " + digest + " of " + image
                    + "; the image in the registry is incomplete, push it again");
        }
        expectOk(image, uri, response);
        return response.body();
    }

    private HttpResponse<InputStream> send(ImageReference image, URI uri, String method, String accept) {
        String scopeKey = image.domain() + "/" + image.repository();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept);
        String authorization = authorizations.get(scopeKey);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = sendPlain(image, request.build());
        if (response.statusCode() != 401) {
            return response;
        }
        String header = response.headers().firstValue("WWW-Authenticate").orElse("");
        close(response);
        authorization = authorize(image, AuthChallenge.parse(header));
        authorizations.put(scopeKey, authorization);
        HttpResponse<InputStream> retried = sendPlain(image, HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept).header("Authorization", authorization).build());
        if (retried.statusCode() == 401 || retried.statusCode() == 403) {
            close(retried);
            throw new RegistryException("registry " + image.domain() + " refused access to " + image.repository()
                    + credentialHint(image.domain()));
        }
        return retried;
    }

    private String authorize(ImageReference image, AuthChallenge challenge) {
        Optional<Credentials> login = credentials.apply(image.domain());
        if (challenge.isBasic()) {
            Credentials basic = login.orElseThrow(() -> new RegistryException("registry " + image.domain()
                    + " requires a login for " + image.repository() + "; run docker login " + image.domain()));
            return basicHeader(basic);
        }
        if (!challenge.isBearer() || challenge.realm() == null) {
            throw new RegistryException("registry " + image.domain() + " asks for authentication \"" + challenge.scheme()
                    + "\", which nvjrun does not support; use a registry with bearer-token or basic authentication");
        }
        StringBuilder query = new StringBuilder();
        String service = challenge.parameters().get("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        String scope = "repository:" + image.repository() + ":pull";
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String realm = challenge.realm();
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).GET();
        login.ifPresent(c -> request.header("Authorization", basicHeader(c)));
        HttpResponse<InputStream> response = sendPlain(image, request.build());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new RegistryException("token service " + tokenUri.getHost() + " refused a token for " + image.repository()
                        + " (HTTP " + response.statusCode() + ")" + credentialHint(image.domain()));
            }
            JsonNode token = json.readTree(body.readNBytes(MAX_MANIFEST_BYTES));
            String value = token.path("token").asText(token.path("access_token").asText(""));
            if (value.isEmpty()) {
                throw new RegistryException("token service " + tokenUri.getHost() + " answered without a token; the registry is misconfigured");
            }
            return "Bearer " + value;
        } catch (IOException e) {
            throw unreachable(image, tokenUri, e);
        }
    }

    private HttpResponse<InputStream> sendPlain(ImageReference image, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(image, request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("pull of " + image + " was interrupted", e);
        }
    }

    private void expectOk(ImageReference image, URI uri, HttpResponse<InputStream> response) {
        if (response.statusCode() != 200) {
            close(response);
            throw new RegistryException("registry " + image.domain() + " answered HTTP " + response.statusCode() + " for "
                    + uri.getPath() + "; check the image name, or retry later if the registry is failing");
        }
    }

    private RegistryException unreachable(ImageReference image, URI uri, IOException e) {
        return new RegistryException("cannot reach registry " + image.domain() + " at " + uri.getScheme() + "://"
                + uri.getAuthority() + " (" + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")
                + "); check the network, or name it with --insecure-registry if it speaks plain HTTP", e);
    }

    private String credentialHint(String domain) {
        return credentials.apply(domain).isPresent()
                ? "; the stored credentials were rejected, run docker login " + domain + " again"
                : "; the repository may be private, run docker login " + domain + " first";
    }

    private static String basicHeader(Credentials credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }
}
