package io.eventlet.net;

import io.eventlet.Eventlet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Green sockets used from plain threads: a read aborted by a close from another thread. */
class PlainThreadSocketTest {
    /**
     * Stress: a plain thread reads while another closes the socket, at every point of the wait
     * (before, while and after it registers with its private selector). The read must always end
     * with an {@link IOException} — before the fix, a close between registering and selecting
     * leaked {@link java.nio.channels.ClosedSelectorException}, a RuntimeException, to the reader.
     */
    @Test
    void aPlainReaderAbortedByACloseAlwaysGetsAnIOException() throws Exception {
        try (GreenServerSocket server = Eventlet.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < 300; i++) {
                try (GreenSocket client = Eventlet.connect(server.localAddress()); GreenSocket conn = server.accept()) {
                    CountDownLatch reading = new CountDownLatch(1);
                    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                    Thread reader = Thread.ofPlatform().start(() -> {
                        reading.countDown();
                        try {
                            int n = conn.read(ByteBuffer.allocate(16));
                            outcome.complete(new AssertionError("read returned " + n));
                        } catch (Throwable t) {
                            outcome.complete(t);
                        }
                    });
                    assertTrue(reading.await(10, TimeUnit.SECONDS));
                    for (int spin = 0; spin < (i % 30) * 100; spin++) {
                        Thread.onSpinWait();   // vary where in the wait the close lands
                    }
                    conn.close();
                    Throwable t = outcome.get(10, TimeUnit.SECONDS);
                    reader.join();
                    assertInstanceOf(IOException.class, t, "iteration " + i + ": " + t);
                }
            }
        }
    }
}
