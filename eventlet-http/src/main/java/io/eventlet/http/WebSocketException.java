package io.eventlet.http;

/** A WebSocket protocol violation; the connection was closed with {@link #code()}. */
public final class WebSocketException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String reason;

    public WebSocketException(int code, String message) {
        super(message + " (close code " + code + ")");
        this.code = code;
        this.reason = message;
    }

    /** The message without the code: what goes into the close frame's reason. */
    String reason() {
        return reason;
    }

    /** The close code sent (1001 idle timeout, 1002 protocol error, 1007 bad data, 1009 too big). */
    public int code() {
        return code;
    }
}
