package io.github.wacrm.bridge.outbound;

/** A REST request the API refuses: its HTTP status and {@code {"error": {"code", "message"}}}. */
public class OutboundApiRefusal extends RuntimeException {

    private final int status;
    private final String code;

    public OutboundApiRefusal(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
