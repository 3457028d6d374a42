package dev.nvjrun.runtime.image.registry;

/** A user name and password (or token) for one registry. */
public record Credentials(String username, String password) {

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
