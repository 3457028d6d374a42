package dev.nvjrun.runtime.network.firewall;

/** Which packet filter tool nvjrun drives; AUTO decides per host (see {@link Firewall#forHost}). */
public enum FirewallChoice {
    AUTO, IPTABLES, NFTABLES
}
