package dev.nvjrun.runtime.network.firewall;

import java.util.Optional;

/**
 * Who added a rule. Every rule nvjrun adds carries its owner as a comment, so teardown and prune
 * delete exactly one owner's rules whichever backend (iptables or nftables) holds them.
 */
public sealed interface RuleOwner {

    /** The comment written on the rule. */
    String tag();

    record Container(String id) implements RuleOwner {
        static final String PREFIX = "nvjrun:";

        @Override
        public String tag() {
            return PREFIX + id;
        }
    }

    record Network(String bridge) implements RuleOwner {
        static final String PREFIX = "nvjrun-net:";

        @Override
        public String tag() {
            return PREFIX + bridge;
        }
    }

    /** The owner a rule's comment names, or empty for a comment nvjrun did not write. */
    static Optional<RuleOwner> parse(String tag) {
        if (tag.startsWith(Network.PREFIX)) {
            return Optional.of(new Network(tag.substring(Network.PREFIX.length())));
        }
        if (tag.startsWith(Container.PREFIX)) {
            return Optional.of(new Container(tag.substring(Container.PREFIX.length())));
        }
        return Optional.empty();
    }
}
