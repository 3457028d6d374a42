package dev.nvjrun.runtime.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:<64 hex>}; only sha256 is stored, as Docker and OCI do. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new StoreException("digest algorithm \"" + algorithm + "\" is not supported; only sha256 digests can be stored");
        }
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            throw new StoreException("digest \"" + algorithm + ":" + hex + "\" is malformed; expected sha256: and 64 lowercase hex digits");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Digest parse(String text) {
        if (text == null) {
            throw new StoreException("digest is missing; expected sha256: and 64 lowercase hex digits");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new StoreException("digest \"" + text + "\" has no algorithm; expected sha256: and 64 lowercase hex digits");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest of(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static Digest fromHash(MessageDigest sha256) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
    }

    /** SHA-256 from the system's OpenSSL where it loads (several times faster here), else the JDK's. */
    public static MessageDigest newSha256() {
        return OpenSslSha256.orJdk(Digest::jdkSha256);
    }

    static MessageDigest jdkSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    /** The first 12 hex digits, as {@code docker images} shows ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    /** {@code sha256:<hex>}, also its JSON form. */
    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
