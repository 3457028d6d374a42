package dev.nvjrun.runtime.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * The token service of the Docker registry token protocol, for a real docker-registry configured
 * with {@code auth: token}: checks basic credentials and issues RS256 JWTs carrying its
 * certificate in {@code x5c}, which the registry verifies against {@code rootcertbundle}.
 * Its key and certificate are made by {@code openssl}.
 */
final class TokenServer implements AutoCloseable {

    static final String SERVICE = "nvjrun-test-registry";
    static final String ISSUER = "nvjrun-test-issuer";

    private final HttpServer server;
    private final Path certificate;
    private final PrivateKey key;
    private final String certificateDer;
    private final ObjectMapper json = new ObjectMapper();
    volatile int requests;

    private TokenServer(HttpServer server, Path certificate, PrivateKey key, String certificateDer) {
        this.server = server;
        this.certificate = certificate;
        this.key = key;
        this.certificateDer = certificateDer;
    }

    static TokenServer start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("key.pem");
        Path certFile = dir.resolve("cert.pem");
        try {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    keyFile.toString(), "-out", certFile.toString(), "-days", "1", "-subj", "/CN=nvjrun-test-token")
                    .redirectErrorStream(true).start();
            String output = new String(openssl.getInputStream().readAllBytes());
            if (openssl.waitFor() != 0) {
                throw new IllegalStateException("openssl failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("test needs openssl: apt-get install openssl", e);
        }
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        X509Certificate cert;
        try (var in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenServer tokens = new TokenServer(server, certFile, key, Base64.getEncoder().encodeToString(cert.getEncoded()));
        server.createContext("/token", tokens::handle);
        server.start();
        return tokens;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certificate;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests++;
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String scope = query(exchange.getRequestURI(), "scope");
            byte[] body = json.writeValueAsBytes(json.createObjectNode().put("token", jwt(scope)));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(String scope) throws Exception {
        ObjectNode header = json.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(certificateDer);
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = json.createObjectNode().put("iss", ISSUER).put("sub", LocalRegistry.USER).put("aud", SERVICE)
                .put("exp", now + 600).put("nbf", now - 60).put("iat", now).put("jti", UUID.randomUUID().toString());
        var access = claims.putArray("access");
        if (scope != null) {
            // "repository:private/busybox:pull,push"
            String[] parts = scope.split(":");
            ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
            var actions = grant.putArray("actions");
            for (String action : parts[2].split(",")) {
                actions.add(action);
            }
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(json.writeValueAsBytes(header)) + "." + url.encodeToString(json.writeValueAsBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(rs256.sign());
    }

    private static String query(URI uri, String name) {
        if (uri.getRawQuery() == null) {
            return null;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
