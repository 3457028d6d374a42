package dev.nvjrun.runtime.image.reference;

import java.util.regex.Pattern;

/**
 * A normalised image reference, parsed by the rules of Docker's distribution/reference:
 * {@code busybox} becomes {@code docker.io/library/busybox:latest}.
 *
 * @param domain     registry host with optional port, e.g. {@code docker.io} or {@code localhost:5000}
 * @param repository path inside the registry, e.g. {@code library/busybox}
 * @param tag        tag, or null when the reference names only a digest
 * @param digest     {@code sha256:<hex>} or null
 */
public record ImageReference(String domain, String repository, String tag, String digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final int MAX_NAME_LENGTH = 255;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?"
                    + "|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public ImageReference {
        if (tag == null && digest == null) {
            throw new InvalidReferenceException("image reference " + domain + "/" + repository
                    + " has neither tag nor digest; give one, e.g. :latest");
        }
    }

    /** Parses and normalises {@code text}; throws {@link InvalidReferenceException} with the reason. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException("image reference is empty; give a name such as busybox or docker.io/library/busybox:latest");
        }
        if (!text.strip().equals(text)) {
            throw new InvalidReferenceException("image reference \"" + text + "\" has surrounding whitespace; remove it");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new InvalidReferenceException("image reference \"" + text + "\" has an invalid digest \"" + digest
                        + "\"; a digest is sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException("image reference \"" + text + "\" has an invalid tag \"" + tag
                        + "\"; tags are up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidReferenceException("image reference \"" + text + "\" has no repository name; give one such as busybox");
        }
        String domain = DEFAULT_DOMAIN;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first;
                path = rest.substring(slash + 1);
                if (!DOMAIN.matcher(domain).matches()) {
                    throw new InvalidReferenceException("image reference \"" + text + "\" has an invalid registry host \""
                            + domain + "\"; use host or host:port");
                }
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (!path.equals(path.toLowerCase())) {
            throw new InvalidReferenceException("image reference \"" + text + "\" is invalid: repository name must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new InvalidReferenceException("image reference \"" + text + "\" has an invalid repository path component \""
                        + component + "\"; use lowercase letters and digits separated by '.', '_', '__' or '-'");
            }
        }
        if (slash < 0 && HEX64.matcher(path).matches()) {
            throw new InvalidReferenceException("image reference \"" + text
                    + "\" is a 64-digit hex string, which names an image id, not a repository; use the id directly or a real name");
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException("image reference \"" + text + "\" is longer than " + MAX_NAME_LENGTH
                    + " characters; use a shorter repository name");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** {@code docker.io/library/busybox}: domain and repository without tag or digest. */
    public String name() {
        return domain + "/" + repository;
    }

    /** The shortest form Docker shows: {@code busybox:latest}, {@code localhost:5000/a/b:1}. */
    public String familiar() {
        String name = name();
        if (domain.equals(DEFAULT_DOMAIN)) {
            name = repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        }
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The tag or, failing that, the digest: what a registry's manifest endpoint takes. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    public ImageReference withTag(String newTag) {
        return parse(name() + ":" + newTag);
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
