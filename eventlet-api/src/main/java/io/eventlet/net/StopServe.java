package io.eventlet.net;

/**
 * Thrown by a connection handler to make {@link io.eventlet.Eventlet#serve} return (eventlet's
 * {@code StopServe}). The listening socket stays open; the caller decides what to do with it.
 *
 * {@snippet :
 * Eventlet.serve(server, conn -> {
 *     if (readCommand(conn).equals("shutdown")) {
 *         throw new StopServe();
 *     }
 * }, 100);
 * }
 */
public class StopServe extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A request to stop serving, with a message that says a handler asked for it. */
    public StopServe() {
        super("serve() asked to stop by a handler");
    }

    /**
     * A request to stop serving, with a message saying why.
     *
     * @param message why the handler stops the server
     */
    public StopServe(String message) {
        super(message);
    }
}
