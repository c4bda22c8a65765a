package io.eventlet.http;

/**
 * A request the server refuses with {@link #status()} (400, 413, 414, 417, 431, 501, 505).
 * Thrown by the parser and by a request body that grows past its limit; the server answers with
 * the status and closes the connection.
 */
public final class HttpException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    /** The status the server answers with. */
    private final int status;

    /**
     * A refusal with {@code status}.
     *
     * @param status the HTTP status to answer with, such as 400
     * @param message what was wrong with the request (or, in the client, the response)
     */
    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The status that answers the request (or, in the client, that says what was wrong).
     *
     * @return the HTTP status
     */
    public int status() {
        return status;
    }
}
