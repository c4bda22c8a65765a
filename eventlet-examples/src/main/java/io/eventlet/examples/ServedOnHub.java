package io.eventlet.examples;

import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A listening socket served by green threads of its own hub: what the echo, forward and chat
 * examples and the demo's echo load start. {@link #close()} stops accepting, then closes the hub
 * (which ends every connection's green thread), the hub even when closing the socket fails.
 */
record ServedOnHub(GreenServerSocket server, Hub hub) implements DemoLoad.Server {
    @Override
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            hub.close();
        }
    }
}
