package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a handler's {@link HttpResponse} talks to, whatever the protocol under it: the handler
 * API (status, headers, a body stream) knows nothing of status lines, chunked framing or
 * {@code Connection} headers, and the protocol knows nothing of how the handler builds its
 * answer. {@link Http1Exchange} is HTTP/1.1's; a later HTTP/2 would be another implementation
 * (a stream of a connection) behind the same {@link HttpRequest} and {@link HttpResponse}.
 *
 * <p>One green thread at a time: the handler's.
 */
interface ServerExchange {
    /**
     * Sends the response head and returns where the body goes, framed as the protocol frames it,
     * or null when the response has no body (HEAD, 1xx, 204, 304: the handler's bytes are dropped). {@code headers} may be completed
     * ({@code Date}, framing and connection fields) and must not be changed by the caller after.
     */
    OutputStream commit(int status, HttpHeaders headers) throws IOException;

    /** Sends what is buffered (a committed head, a body's bytes) now. */
    void flush() throws IOException;

    /** Ends the body (its framing's end) and flushes. */
    void end() throws IOException;

    /** Asks that the connection not be reused after this response (a protocol may ignore it: HTTP/2 would). */
    void closeAfter();

    /**
     * Answers 101 with {@code extra} headers and hands the connection to another protocol
     * (WebSocket); the connection closes once the handler returns.
     *
     * @throws UnsupportedOperationException where the protocol has no upgrade (HTTP/2 has none)
     */
    void switchProtocols(HttpHeaders extra) throws IOException;
}
