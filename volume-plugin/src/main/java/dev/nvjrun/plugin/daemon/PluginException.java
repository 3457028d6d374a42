package dev.nvjrun.plugin.daemon;

/** The daemon cannot start; the message is one sentence for the user, naming the fix. */
public class PluginException extends Exception {

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
