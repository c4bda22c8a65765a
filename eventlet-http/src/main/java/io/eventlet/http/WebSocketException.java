package io.eventlet.http;

/** A WebSocket protocol violation; the connection was closed with {@link #code()}. */
public final class WebSocketException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    /** The close code the connection was closed with. */
    private final int code;
    /** The close frame's reason: the message without the code. */
    private final String reason;

    /**
     * A violation answered with close code {@code code}.
     *
     * @param code the close code (RFC 6455 §7.4.1)
     * @param message what went wrong; also the close frame's reason
     */
    public WebSocketException(int code, String message) {
        super(message + " (close code " + code + ")");
        this.code = code;
        this.reason = message;
    }

    /** The message without the code: what goes into the close frame's reason. */
    String reason() {
        return reason;
    }

    /**
     * The close code sent (1001 idle timeout, 1002 protocol error, 1007 bad data, 1009 too big).
     *
     * @return the close code
     */
    public int code() {
        return code;
    }
}
