package io.eventlet.bench.echo;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.MultiHubServer;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The eventlet-java echo server: {@link Eventlet#serve} on one hub, or {@link MultiHubServer} on
 * several, a green thread per connection that reads into a buffer and writes it all back.
 */
final class GreenEchoServer implements RunningEchoServer {
    /** Read buffer per connection: the same size as the JDK server's, so the heap figures compare. */
    static final int BUFFER_SIZE = 8192;
    /** No limit that a benchmark would reach: the harness decides how many connections there are. */
    private static final int MAX_CONNECTIONS = 1 << 20;

    private final int port;
    private final AutoCloseable resources;

    private GreenEchoServer(int port, AutoCloseable resources) {
        this.port = port;
        this.resources = resources;
    }

    /**
     * Starts serving on {@code port} (0: a free port).
     *
     * @param hubName the hub to run on ("selector", "epoll", "poll"), or null for the configured one
     * @throws IllegalStateException when that hub is unavailable, with the reason
     */
    static GreenEchoServer start(String hubName, int hubs, int port) throws IOException {
        if (hubs < 1) {
            throw new IllegalArgumentException("hubs must be at least 1, got " + hubs);
        }
        HubProvider provider = hubName == null ? Hub.provider() : Hub.provider(hubName);
        if (hubs > 1) {
            MultiHubServer server = MultiHubServer.start(new InetSocketAddress(port), hubs, MAX_CONNECTIONS,
                    GreenEchoServer::echo, provider);
            return new GreenEchoServer(((InetSocketAddress) server.address()).getPort(), server);
        }
        GreenServerSocket listener = Eventlet.listen(new InetSocketAddress(port), Eventlet.DEFAULT_BACKLOG, false);
        Hub hub;
        try {
            hub = Hub.start(provider);
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
        GreenThread<Void> loop = hub.spawn(() -> {
            Eventlet.serve(listener, GreenEchoServer::echo, MAX_CONNECTIONS);
            return null;
        });
        int boundPort = ((InetSocketAddress) listener.localAddress()).getPort();
        return new GreenEchoServer(boundPort, () -> {
            listener.close();
            loop.kill();
            hub.close();
        });
    }

    /** The handler: one green thread per connection. */
    static void echo(GreenSocket conn) throws IOException {
        conn.setTcpNoDelay(true);
        // A heap buffer, like the JDK server's byte[]: both then pay the same copy per read.
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
        try {
            while (conn.read(buf) > 0) {
                buf.flip();
                conn.writeAll(buf);
                buf.clear();
            }
        } catch (IOException e) {
            // A peer that resets ("Connection reset", "Broken pipe") ends its connection, as a
            // peer that closes does: not a server error worth a stack trace per connection.
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            System.err.println("closing the green echo server on port " + port + " failed: " + e);
        }
    }
}
