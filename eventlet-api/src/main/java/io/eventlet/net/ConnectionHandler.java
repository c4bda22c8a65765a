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
    void handle(GreenSocket connection) throws Exception;
}
