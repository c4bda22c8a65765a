package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.net.GreenDatagramSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP on one kind of hub: unconnected and connected use, timeouts, close while waiting. One
 * behaviour of the conformance kit, a test interface that {@link HubConformance} implements.
 */
public interface GreenDatagramBehaviour extends HubCases {
    private void onHub(OnHub.Body body) {
        OnHub.run(provider(), body);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    @Test
    default void unconnectedSocketsExchangeDatagramsAndLearnTheSender() {
        onHub(() -> {
            try (GreenDatagramSocket a = GreenDatagramSocket.bind(LOOPBACK); GreenDatagramSocket b = GreenDatagramSocket.bind(LOOPBACK)) {
                GreenThread<String> echo = Eventlet.spawn(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(100);
                    SocketAddress from = b.receive(buf);
                    String got = text(buf);
                    b.send(ascii(got.toUpperCase()), from);
                    return got;
                });
                assertEquals(5, a.send(ascii("hello"), b.localAddress()));
                ByteBuffer reply = ByteBuffer.allocate(100);
                SocketAddress from = a.receive(reply);
                assertEquals(b.localAddress(), from);
                assertEquals("HELLO", text(reply));
                assertEquals("hello", echo.join());
            }
        });
    }

    @Test
    default void connectedSocketsReadAndWrite() {
        onHub(() -> {
            try (GreenDatagramSocket a = GreenDatagramSocket.bind(LOOPBACK); GreenDatagramSocket b = GreenDatagramSocket.bind(LOOPBACK)) {
                a.connect(b.localAddress());
                b.connect(a.localAddress());
                assertEquals(b.localAddress(), a.remoteAddress());
                a.write(ascii("ping"));
                ByteBuffer buf = ByteBuffer.allocate(10);
                assertEquals(4, b.read(buf));
                assertEquals("ping", text(buf));
                b.disconnect();
                assertNull(b.remoteAddress());
                assertThrows(IllegalStateException.class, () -> b.read(ByteBuffer.allocate(1)));
            }
        });
    }

    @Test
    default void receiveTimesOutAndZeroTimeoutDoesNotWait() {
        onHub(() -> {
            try (GreenDatagramSocket a = GreenDatagramSocket.bind(LOOPBACK)) {
                a.setTimeout(Duration.ofMillis(40));
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> a.receive(ByteBuffer.allocate(10)));
                assertTrue(e.getMessage().contains("receive"), e.getMessage());
                a.setTimeout(Duration.ZERO);
                assertNull(a.receive(ByteBuffer.allocate(10)));
                assertEquals(Duration.ZERO, a.timeout());
            }
        });
    }

    @Test
    default void closeWakesAWaitingReceiver() {
        onHub(() -> {
            GreenDatagramSocket a = GreenDatagramSocket.bind(LOOPBACK);
            GreenThread<SocketAddress> receiver = Eventlet.spawn(() -> a.receive(ByteBuffer.allocate(10)));
            Eventlet.sleep();
            a.close();
            Throwable t = assertThrows(Throwable.class, receiver::join);
            Throwable cause = t.getCause() != null ? t.getCause() : t;
            assertTrue(cause instanceof AsynchronousCloseException, String.valueOf(cause));
        });
    }

    @Test
    default void aUnixPathIsRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreenDatagramSocket.bind(UnixDomainSocketAddress.of(Path.of("/tmp/x.sock"))));
        assertTrue(e.getMessage().contains("UDP"), e.getMessage());
    }
}
