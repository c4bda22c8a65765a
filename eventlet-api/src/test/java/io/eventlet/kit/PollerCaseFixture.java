package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * What one {@link PollerContract} case works on, opened by the case and closed when it ends: a
 * poller of the hub under test, one non-blocking pipe, and the readiness reported for the
 * registrations made with {@link #registerSource}. Closing it closes the poller, then every
 * channel opened through it. The case's thread plays the hub's thread; not thread-safe.
 */
final class PollerCaseFixture implements AutoCloseable {
    /** How long a poll that must see readiness may wait: long, and within the case's timeout. */
    static final long BOUND = TimeUnit.SECONDS.toNanos(10);

    final Poller poller;
    final Pipe pipe;
    /** What the listeners of {@link #registerSource} were told, in order. */
    final List<Integer> reports = new ArrayList<>();
    private final PollerFixture fixture;

    PollerCaseFixture(HubProvider provider) throws IOException {
        fixture = new PollerFixture(provider);
        poller = fixture.poller;
        try {
            pipe = fixture.pipe();
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    /** Registers {@link #pipe}'s source with {@code ops}, its readiness going to {@link #reports}. */
    Poller.Registration registerSource(int ops) throws IOException {
        return poller.register(pipe.source(), ops, reports::add);
    }

    /** Makes {@link #pipe}'s source readable. */
    void writeByte() throws IOException {
        PollerFixture.writeByte(pipe);
    }

    /** Another non-blocking pipe, closed with the fixture. */
    Pipe newPipe() throws IOException {
        return fixture.pipe();
    }

    /** A new pipe whose source has descriptor {@code fd} (see {@link PollerFixture#pipeWhoseSourceIs}). */
    Pipe pipeWhoseSourceIs(int fd) throws IOException {
        return fixture.pipeWhoseSourceIs(fd);
    }

    /** A connected pair over loopback, both ends non-blocking and closed with the fixture. */
    SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socketPair(server);
        }
    }

    /** A pair connected through {@code server}: the client end first. */
    SocketChannel[] socketPair(ServerSocketChannel server) throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        fixture.keep(client);
        fixture.keep(accepted);
        client.configureBlocking(false);
        accepted.configureBlocking(false);
        return new SocketChannel[] {client, accepted};
    }

    @Override
    public void close() throws IOException {
        fixture.close();
    }
}
