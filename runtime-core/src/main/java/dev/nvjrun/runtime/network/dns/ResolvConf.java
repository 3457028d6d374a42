package dev.nvjrun.runtime.network.dns;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's /etc/resolv.conf, derived from the host's as Docker does: resolvers on the
 * host's loopback (systemd-resolved, dnsmasq) cannot be reached from the container's network
 * namespace, so they are dropped, and when none is left the public resolvers Docker uses are
 * written instead. {@code --dns}, {@code --dns-search} and {@code --dns-option} replace the
 * host's lines of the same kind.
 */
public final class ResolvConf {
    /** Docker's fallback resolvers; only written into the file, never contacted by nvjrun. */
    public static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    private ResolvConf() {
    }

    public static String forContainer(String hostResolvConf, List<String> dns, List<String> dnsSearch,
            List<String> dnsOptions) {
        for (String server : dns) {
            if (!Ipv4Address.isValid(server) && !HostEntry.isIpv6(server)) {
                throw new NetworkException("invalid --dns value '" + server + "': use the IP address of a DNS server,"
                        + " such as 10.0.0.2");
            }
        }
        for (String domain : dnsSearch) {
            if (!domain.equals(".") && !HostEntry.isHostName(domain)) {
                throw new NetworkException("invalid --dns-search value '" + domain + "': use a domain name such as"
                        + " example.com");
            }
        }
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : hostResolvConf.split("\n")) {
            String[] words = line.strip().split("\\s+");
            switch (words[0]) {
                case "nameserver" -> {
                    if (words.length > 1 && !isLoopback(words[1])) {
                        nameservers.add(words[1]);
                    }
                }
                case "search", "domain" -> search.addAll(List.of(words).subList(1, words.length));
                case "options" -> options.addAll(List.of(words).subList(1, words.length));
                default -> {
                    if (!line.isBlank()) {
                        other.add(line.strip());
                    }
                }
            }
        }
        if (!dns.isEmpty()) {
            nameservers = List.copyOf(dns);
        } else if (nameservers.isEmpty()) {
            nameservers = FALLBACK_NAMESERVERS;
        }
        if (!dnsSearch.isEmpty()) {
            // Docker's "--dns-search ." means "no search domains at all".
            search = dnsSearch.equals(List.of(".")) ? List.of() : List.copyOf(dnsSearch);
        }
        if (!dnsOptions.isEmpty()) {
            options = List.copyOf(dnsOptions);
        }
        StringBuilder text = new StringBuilder();
        other.forEach(line -> text.append(line).append('\n'));
        if (!search.isEmpty()) {
            text.append("search ").append(String.join(" ", search)).append('\n');
        }
        nameservers.forEach(server -> text.append("nameserver ").append(server).append('\n'));
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }

    private static boolean isLoopback(String server) {
        if (Ipv4Address.isValid(server)) {
            return Ipv4Address.parse(server).isLoopback();
        }
        String lower = server.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1");
    }
}
