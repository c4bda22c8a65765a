package io.eventlet.bench;

import io.eventlet.Eventlet;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A one-byte ping-pong over a loopback TCP connection, both ends on one hub (or on JDK virtual
 * threads): every round trip is two writes, two reads that wait, and two switches. With and
 * without a socket timeout, so the cost of arming a timeout on every wait shows beside the wait
 * itself; and with a timeout on a hub that also holds {@link #IDLE_TIMERS} pending timers, as a
 * server does for its idle connections' timeouts, where a timer per wait meets a large heap. The
 * score is nanoseconds per round trip.
 */
public class SocketBenchmark extends HubBenchmark {
    static final int ROUND_TRIPS = 2_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final int IDLE_TIMERS = 10_000;

    private GreenServerSocket greenServer;
    private io.eventlet.Timer[] idleTimers;
    private ServerSocket jdkServer;

    @Setup(Level.Trial)
    public void listen() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        greenServer = Eventlet.listen(loopback);
        jdkServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @TearDown(Level.Trial)
    public void stopListening() throws IOException {
        greenServer.close();
        jdkServer.close();
        if (idleTimers != null) {
            for (io.eventlet.Timer t : idleTimers) {
                t.cancel();
            }
            idleTimers = null;
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long greenNoTimeout() {
        return onGreenThread(() -> green(null));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long greenWithTimeout() {
        return onGreenThread(() -> green(TIMEOUT));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long greenWithTimeoutAmongIdleTimers() {
        if (idleTimers == null) {
            // Once per trial (in its first, warm-up, invocation), so the score is the round trips only.
            idleTimers = new io.eventlet.Timer[IDLE_TIMERS];
            for (int i = 0; i < IDLE_TIMERS; i++) {
                idleTimers[i] = greenHub().schedule(Duration.ofMinutes(10 + i % 50), () -> { });
            }
        }
        return onGreenThread(() -> green(TIMEOUT));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long jdkWithTimeout() throws Exception {
        return onVirtualThread(this::jdk);
    }

    private long green(Duration timeout) throws IOException {
        try (GreenSocket client = Eventlet.connect(greenServer.localAddress()); GreenSocket conn = greenServer.accept()) {
            client.setTcpNoDelay(true).setTimeout(timeout);
            conn.setTcpNoDelay(true).setTimeout(timeout);
            io.eventlet.GreenThread<Void> echo = greenHub().spawn(() -> {
                ByteBuffer b = ByteBuffer.allocate(1);
                try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        b.clear();
                        conn.readFully(b);
                        b.flip();
                        conn.writeAll(b);
                    }
                } catch (IOException | RuntimeException e) {
                    conn.close();   // so the other side's read fails instead of waiting for ever
                    throw e;
                }
                return null;
            });
            ByteBuffer b = ByteBuffer.allocate(1);
            long sum = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                b.clear();
                b.put((byte) (i & 0x7f)).flip();
                client.writeAll(b);
                b.clear();
                client.readFully(b);
                sum += b.get(0);
            }
            echo.join();   // rethrows whatever ended the echoing side
            return sum;
        }
    }

    private long jdk() throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), jdkServer.getLocalPort()); Socket conn = jdkServer.accept()) {
            client.setTcpNoDelay(true);
            conn.setTcpNoDelay(true);
            client.setSoTimeout((int) TIMEOUT.toMillis());
            conn.setSoTimeout((int) TIMEOUT.toMillis());
            Thread partner = Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = conn.getInputStream();
                    OutputStream out = conn.getOutputStream();
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        out.write(in.read());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            long sum = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                out.write(i & 0x7f);
                sum += in.read();
            }
            partner.join();
            return sum;
        }
    }

    /** The checksum every body returns: the sum of the bytes sent, each i & 0x7f. */
    static long expected() {
        long sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            sum += i & 0x7f;
        }
        return sum;
    }
}
