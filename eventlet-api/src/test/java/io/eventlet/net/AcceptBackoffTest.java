package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.sync.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The back-off of the accept loop ends when its listener closes, not when its delay is over. */
class AcceptBackoffTest {
    @Test
    void aCloseFromAnotherThreadCutsATenSecondBackOffShort() throws Exception {
        Hub hub = Hub.start(new SelectorHubProvider());
        try (GreenServerSocket server = Eventlet.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Event<Void> backingOff = new Event<>();
            GreenThread<Long> loop = hub.spawn(() -> {
                AcceptBackoff backoff = new AcceptBackoff(server, io.eventlet.internal.Greenlet.current(), Duration.ofSeconds(10).toNanos());
                backingOff.send(null);
                long start = System.nanoTime();
                backoff.failed(new IOException("Too many open files"));
                return (System.nanoTime() - start) / 1_000_000;
            });
            backingOff.await();
            // Close once the acceptor is parked in its back-off (a green thread's park shows as WAITING).
            while (loop.thread() == null || loop.thread().getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            server.close();
            long sleptMs = loop.join();
            assertTrue(sleptMs < 5_000, "the back-off ended " + sleptMs + " ms after it began, not at the close");
        } finally {
            hub.close();
        }
    }
}
