package dev.nvjrun.plugin.api;

/** An answer other than 200 from the REST API; the message is one sentence for the client. */
public class ApiException extends Exception {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
