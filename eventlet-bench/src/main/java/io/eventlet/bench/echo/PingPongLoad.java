package io.eventlet.bench.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The echo load generator: one thread drives every connection through one
 * {@link java.nio.channels.Selector}, each connection doing strict ping-pong — send {@code size}
 * bytes, read until {@code size} bytes came back, check them, record the latency, send again.
 * One thread, not one per connection, so the client's own cost stays flat as connections grow,
 * and it fits on the one core the harness is pinned to.
 *
 * <p>Each payload is random per connection, with the round trip's sequence number in its first
 * 8 bytes (when it has 8), so an echo of stale, reordered, short or foreign bytes is caught; a
 * wrong byte throws {@link EchoMismatchException}.
 *
 * <p>Threading: confined to the thread that opened it.
 */
final class PingPongLoad implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress server;
    private final int size;
    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private boolean started;
    private boolean draining;
    private int inFlight;
    // Per run(): where completed round trips are counted and their latency recorded.
    private long completed;
    private Histogram latency;

    private PingPongLoad(InetSocketAddress server, int size) throws IOException {
        this.server = server;
        this.size = size;
        this.selector = Selector.open();
    }

    /**
     * Connects {@code connections} sockets to {@code server}; no byte is sent before the first
     * {@link #run}.
     *
     * @throws IOException naming the server and the connection that failed
     */
    static PingPongLoad open(InetSocketAddress server, int connections, int size) throws IOException {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte, got " + size);
        }
        PingPongLoad load = new PingPongLoad(server, size);
        try {
            for (int i = 0; i < connections; i++) {
                load.connections.add(load.connect(i));
            }
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    private Connection connect(int id) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            // Blocking connect with a bound: simpler than a non-blocking one, and setup is not measured.
            ch.socket().connect(server, (int) CONNECT_TIMEOUT.toMillis());
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Connection c = new Connection(id, ch, size);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            return c;
        } catch (IOException e) {
            ch.close();
            throw new IOException("connection #" + id + " to echo server " + server + " failed: " + e.getMessage(), e);
        }
    }

    int connections() {
        return connections.size();
    }

    /**
     * Drives the load for {@code duration} (the first call starts a round trip on every
     * connection; round trips in flight at the end carry over to the next call).
     *
     * @param latency where each completed round trip's latency in nanoseconds goes; null for none
     * @return the round trips completed during this call
     * @throws EchoMismatchException when the server echoed a wrong byte
     * @throws IOException when a connection fails or the server closes one
     */
    long run(Duration duration, Histogram latency) throws IOException {
        if (draining) {
            throw new IllegalStateException("load to " + server + " was drained: open a new one");
        }
        this.completed = 0;
        this.latency = latency;
        long now = System.nanoTime();
        long deadline = now + duration.toNanos();
        try {
            if (!started) {
                started = true;
                for (Connection c : connections) {
                    startRoundTrip(c, now);
                }
            }
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                selector.select(this::onReady, Math.max(1, left / 1_000_000));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return completed;
    }

    /**
     * Lets the round trips in flight finish without starting new ones, so closing does not
     * leave unread bytes behind (which would make the kernel reset the connection and the
     * server log an error that is not one).
     *
     * @return true when every round trip finished within {@code timeout}
     */
    boolean drain(Duration timeout) throws IOException {
        draining = true;
        latency = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left; inFlight > 0 && (left = deadline - System.nanoTime()) > 0; ) {
                selector.select(this::onReady, Math.max(1, left / 1_000_000));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return inFlight == 0;
    }

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                c.channel.write(c.out);
                if (!c.out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isReadable()) {
                read(c);
            }
        } catch (EchoMismatchException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("connection #" + c.id + " to echo server " + server
                    + " failed in round trip " + c.sequence + ": " + e.getMessage(), e));
        }
    }

    private void read(Connection c) throws IOException {
        int n = c.channel.read(c.in);
        if (n < 0) {
            throw new IOException("the server closed the connection after echoing " + c.in.position() + " of " + size + " bytes");
        }
        if (c.in.hasRemaining()) {
            return;
        }
        long now = System.nanoTime();
        if (c.out.hasRemaining()) {
            // More bytes came back than were sent so far: whatever they are, they are not an echo.
            throw new EchoMismatchException("connection #" + c.id + " to " + server + ": received " + size
                    + " bytes while only " + c.out.position() + " were sent in round trip " + c.sequence);
        }
        c.in.flip();
        c.out.clear();
        int at = c.in.mismatch(c.out);
        if (at >= 0) {
            throw new EchoMismatchException("connection #" + c.id + " to " + server + ": byte " + at + " of round trip "
                    + c.sequence + " came back as " + c.in.get(at) + ", sent " + c.out.get(at));
        }
        inFlight--;
        completed++;
        if (latency != null) {
            latency.recordValue(now - c.startNanos);
        }
        c.in.clear();
        c.sequence++;
        if (!draining) {
            startRoundTrip(c, now);
        }
    }

    private void startRoundTrip(Connection c, long now) {
        c.out.clear();
        if (size >= Long.BYTES) {
            c.out.putLong(0, c.sequence);
        }
        c.startNanos = now;
        inFlight++;
        try {
            c.channel.write(c.out);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("connection #" + c.id + " to echo server " + server
                    + ": sending round trip " + c.sequence + " failed: " + e.getMessage(), e));
        }
        if (c.out.hasRemaining()) {
            // The socket buffer is full (large payloads): finish when writable. Read interest stays
            // on so an echo that starts early is taken in.
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** Closes every connection and the selector. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Connection c : connections) {
            try {
                c.channel.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        selector.close();
        if (failure != null) {
            throw new IOException("closing connections to " + server + " failed: " + failure.getMessage(), failure);
        }
    }

    /** One connection's state; touched only by the load's thread. */
    private static final class Connection {
        final int id;
        final SocketChannel channel;
        // Direct buffers: the channel reads and writes them without copying through a temporary one.
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        long sequence;
        long startNanos;

        Connection(int id, SocketChannel channel, int size) {
            this.id = id;
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
            byte[] payload = new byte[size];
            new SplittableRandom(0x5eed_0000L + id).nextBytes(payload);
            out.put(payload).clear();
        }
    }
}
