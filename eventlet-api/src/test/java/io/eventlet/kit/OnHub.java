package io.eventlet.kit;

import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the behaviour suites share: running a green body on a fresh hub, bounded waits, and the
 * constants their cases use (a behaviour is an interface, and an interface has no private fields).
 */
final class OnHub {
    /** The loopback address, any free port: where the cases listen and bind. */
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** A wait no case sees the end of: it is ended by something else (a kill, a timeout) or not at all. */
    static final Duration FOREVER = Duration.ofHours(1);
    /**
     * A sleep a case expects a timeout to cut short: longer than any such timeout, shorter than
     * the case's own bound, so a timeout that never comes fails the case instead of passing late.
     */
    static final Duration LONG = Duration.ofSeconds(20);

    /** A green test body; it may throw anything, including assertion errors. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private OnHub() {
    }

    /** Runs {@code body} as the main green thread of a new hub of {@code provider}; rethrows its failure. */
    static void run(HubProvider provider, Body body) {
        Hub.run(provider, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Waits for {@code latch} and fails if it is not released in time. Works in a green thread
     * (the wait yields to the hub) and in a plain one.
     */
    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out waiting for " + what);
    }
}
