package dev.nvjrun.launcher.wrapper;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nvidia-docker 1.0's NV_HOST rules: {@code NV_HOST} (else {@code DOCKER_HOST}) names a remote
 * plugin as {@code http://host[:port]}, {@code tcp://…} or {@code ssh://[user@]host[:sshport][:port]};
 * no scheme means tcp; a unix socket means the local host. The plugin port defaults to 3476.
 */
final class RemoteHost {
    private static final Pattern ADDRESS = Pattern.compile("^(\\[[0-9a-f.:]+\\]|[0-9A-Za-z.\\-_]+)?(:\\d+)?:(\\d+)?$");

    private RemoteHost() {
    }

    static Optional<RemoteGpuArguments> from(String nvHost, String dockerHost, String user) {
        boolean fromNvHost = nvHost != null && !nvHost.isBlank();
        String value = fromNvHost ? nvHost.strip() : dockerHost == null ? "" : dockerHost.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.matches("^[a-z0-9+.-]+://.*")) {
            value = "tcp://" + value;
        }
        String scheme = value.substring(0, value.indexOf("://"));
        String rest = value.substring(value.indexOf("://") + 3);
        if (scheme.equals("unix")) {
            return Optional.empty();
        }
        String userPart = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            userPart = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        // Both ports are optional; parse "host[:sshport]:[port]" like 1.0 by appending a ':' when absent.
        String host = "localhost";
        String sshPort = "22";
        String port = "3476";
        // 1.0's pattern wants a colon ("host:PORT" or "host:SSHPORT:PORT"); "host" alone means defaults.
        Matcher m = ADDRESS.matcher(authority.contains(":") ? authority : authority + ":");
        if (!m.matches()) {
            throw invalid(value);
        }
        if (m.group(1) != null) {
            host = m.group(1);
        }
        if (m.group(2) != null) {
            sshPort = m.group(2).substring(1);
        }
        if (m.group(3) != null) {
            port = m.group(3);
        }
        switch (scheme) {
            case "tcp", "http" -> {
                // DOCKER_HOST's port is the Docker daemon's, never the plugin's.
                String pluginPort = fromNvHost ? port : "3476";
                return Optional.of(new RemoteGpuArguments(URI.create("http://" + host + ":" + pluginPort), null, 0));
            }
            case "ssh" -> {
                String login = (userPart != null ? userPart : user) + "@" + host;
                return Optional.of(new RemoteGpuArguments(null, List.of("ssh", "-p", sshPort, login), Integer.parseInt(port)));
            }
            default -> throw invalid(value);
        }
    }

    private static WrapperException invalid(String value) {
        return new WrapperException("invalid remote host URI \"" + value
                + "\" in NV_HOST: use http://HOST[:PORT], tcp://HOST[:PORT] or ssh://[USER@]HOST[:SSHPORT][:PORT]");
    }
}
