package io.eventlet.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PingPongLoadTest {
    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void drivesAGreenEchoServerOnTheSelectorHub() throws IOException {
        try (RunningEchoServer server = EchoServer.start(ServerKind.GREEN, "selector", 1, 0);
             PingPongLoad load = PingPongLoad.open(local(server.port()), 5, 64)) {
            assertEquals(5, load.connections());
            Histogram latency = new Histogram(3);
            long roundTrips = load.run(Duration.ofSeconds(1), latency);
            assertTrue(roundTrips > 0, "no round trip completed");
            assertEquals(roundTrips, latency.getTotalCount());
            assertTrue(load.run(Duration.ofMillis(100), null) > 0, "a second run goes on where the first stopped");
            assertTrue(load.drain(Duration.ofSeconds(5)), "round trips still in flight after draining");
        }
    }

    @Test
    void largePayloadsThatFillTheSocketBufferStillEcho() throws IOException {
        try (RunningEchoServer server = EchoServer.start(ServerKind.GREEN, "selector", 1, 0);
             PingPongLoad load = PingPongLoad.open(local(server.port()), 3, 1 << 20)) {
            assertTrue(load.run(Duration.ofMillis(500), null) > 0);
        }
    }

    @Test
    void aWrongEchoedByteAbortsTheRun() throws Exception {
        try (ServerSocket corrupting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = corrupting.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] b = in.readNBytes(64);
                    b[10] ^= 1;
                    out.write(b);
                    in.read(); // hold the connection open until the client gives up
                } catch (IOException e) {
                    // the client closed first: that is the end of this test's server
                }
            });
            try (PingPongLoad load = PingPongLoad.open(local(corrupting.getLocalPort()), 1, 64)) {
                EchoMismatchException e = assertThrows(EchoMismatchException.class, () -> load.run(Duration.ofSeconds(10), null));
                assertTrue(e.getMessage().contains("byte 10"), e.getMessage());
            }
        }
    }

    @Test
    void aServerThatClosesIsNamedInTheError() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = closing.accept()) {
                    s.getInputStream().readNBytes(64);
                } catch (IOException e) {
                    // nothing more to do
                }
            });
            try (PingPongLoad load = PingPongLoad.open(local(closing.getLocalPort()), 1, 64)) {
                IOException e = assertThrows(IOException.class, () -> load.run(Duration.ofSeconds(10), null));
                assertTrue(e.getMessage().contains("connection #0") && e.getMessage().contains(Integer.toString(closing.getLocalPort())),
                        e.getMessage());
            }
        }
    }

    @Test
    void idleConnectionsAreAcceptedAndEchoedOnce() throws IOException {
        try (RunningEchoServer server = EchoServer.start(ServerKind.GREEN, "selector", 1, 0);
             IdleConnections idle = IdleConnections.open(local(server.port()), 20)) {
            assertEquals(20, idle.size());
        }
    }

    @Test
    void aRefusedConnectionNamesTheServer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> PingPongLoad.open(local(port), 2, 64));
        assertTrue(e.getMessage().contains("connection #0") && e.getMessage().contains(Integer.toString(port)), e.getMessage());
    }
}
