package io.eventlet.examples;

import io.eventlet.Hub;
import io.eventlet.net.ConnectionHandler;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * A {@link Server} on a hub of its own: what the echo, forward and chat examples and the demo's
 * echo load start. {@link #close()} shuts the server down gracefully (the listener closes,
 * connections being handled get {@link #GRACE} to finish), then closes the hub, the hub even
 * when the shutdown fails.
 */
record ServedOnHub(Server server, Hub hub) implements DemoLoad.Server {
    /** How long a closing example lets its connections finish: Ctrl-C should not take long. */
    static final Duration GRACE = Duration.ofSeconds(1);

    /** Serves {@code listener} on {@code hub}, at most {@code concurrency} connections at once. */
    static ServedOnHub start(Hub hub, GreenServerSocket listener, ConnectionHandler handler, int concurrency,
                             BiConsumer<GreenSocket, Throwable> errorHandler) {
        Server server = hub.spawn(() -> Server.start(listener, handler, concurrency, errorHandler)).join();
        return new ServedOnHub(server, hub);
    }

    @Override
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.address();
    }

    @Override
    public void close() {
        try {
            server.shutdown(GRACE);
        } finally {
            hub.close();
        }
    }
}
