package io.eventlet.http;

/**
 * A request the server refuses with {@link #status()} (400, 413, 414, 417, 431, 501, 505).
 * Thrown by the parser and by a request body that grows past its limit; the server answers with
 * the status and closes the connection.
 */
public final class HttpException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
