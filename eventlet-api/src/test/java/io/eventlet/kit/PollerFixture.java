package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A poller opened for one test, with the non-blocking pipes it watches; {@link #close()} releases
 * the poller first, then every channel. The test thread plays the hub's thread.
 *
 * {@snippet :
 * try (PollerFixture f = new PollerFixture(new SelectorHubProvider())) {
 *     Pipe p = f.pipe();
 *     f.poller.register(p.source(), Poller.READ, ops -> { });
 *     PollerFixture.writeByte(p);
 *     assertEquals(1, f.poller.poll(1_000_000_000L));
 * }
 * }
 *
 * <p>Not thread-safe: one test thread.
 */
public final class PollerFixture implements AutoCloseable {
    /** The poller under test. */
    public final Poller poller;
    private final List<SelectableChannel> channels = new ArrayList<>();

    public PollerFixture(HubProvider provider) throws IOException {
        this.poller = provider.open();
    }

    /** A new pipe, both ends non-blocking, closed with the fixture. */
    public Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        keep(p.source());
        keep(p.sink());
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    /**
     * Opens pipes until one's source has descriptor {@code fd}: the kernel hands out the lowest
     * free number, so this reuses the number of a channel just closed.
     */
    public Pipe pipeWhoseSourceIs(int fd) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            Pipe p = pipe();
            if (io.eventlet.spi.ChannelFd.of(p.source()) == fd) {
                return p;
            }
        }
        throw new AssertionError("no pipe reused descriptor " + fd);
    }

    /** Closes {@code channel} with the fixture, after the poller. */
    public <C extends SelectableChannel> C keep(C channel) {
        channels.add(channel);
        return channel;
    }

    /** Writes one byte into the pipe, which makes its source readable. */
    public static void writeByte(Pipe p) throws IOException {
        assertEquals(1, p.sink().write(ByteBuffer.wrap(new byte[] {42})));
    }

    @Override
    public void close() throws IOException {
        try {
            poller.close();
        } finally {
            for (SelectableChannel c : channels) {
                c.close();
            }
        }
    }
}
