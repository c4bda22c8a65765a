package io.eventlet.net;

/**
 * Handles one accepted connection in its own green thread, for {@link io.eventlet.Eventlet#serve}. The
 * connection is closed when the handler returns or throws.
 *
 * {@snippet :
 * ConnectionHandler echo = conn -> {
 *     byte[] buf = new byte[4096];
 *     for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) {
 *         conn.writeAll(buf, 0, n);
 *     }
 * };
 * }
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves one connection, reading and writing it with blocking calls.
     *
     * @param connection the accepted connection; closed for the handler when it returns or throws
     * @throws Exception any failure: passed to the server's error handler (or logged), and serving
     *     goes on; a {@link StopServe} makes the server return
     */
    void handle(GreenSocket connection) throws Exception;
}
