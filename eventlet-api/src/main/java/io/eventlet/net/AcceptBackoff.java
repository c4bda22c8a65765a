package io.eventlet.net;

import io.eventlet.internal.Greenlet;
import io.eventlet.internal.Wait;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * What {@link Serve}'s accept loop does when {@code accept()} fails while the listener is still
 * open (EMFILE, ENFILE, ENOBUFS, ENOMEM, ECONNABORTED, ...): waits, 5 ms doubling up to 1 s as Go's
 * net/http does, and tells the log once per episode, at its start (WARN) and when accepting works
 * again (INFO, with the count of failures and how long it lasted).
 *
 * <p>Everything the failure path needs is loaded when serving starts: under EMFILE a class read
 * from a directory of the class path, or a resource read lazily from disk, cannot be opened.
 * That is why this is a class of its own, constructed with the loop, and why the log's formatter
 * runs once in the static initializer.
 *
 * <p>Not thread-safe: used only by the serving green thread.
 */
final class AcceptBackoff {
    private static final Logger log = LoggerFactory.getLogger(Serve.class);   // the loop's own log
    static final long FIRST_DELAY_NANOS = 5_000_000;
    static final long MAX_DELAY_NANOS = 1_000_000_000;
    static final String FAILING = "accept on {} failing: {}; backing off";
    static final String RECOVERED = "accept on {} works again after {} failures in {} ms";

    static {
        // Loads and initialises SLF4J's formatter (and the boxing and array classes the calls use)
        // now, not at the first failure.
        MessageFormatter.arrayFormat(FAILING, new Object[] {"", ""});
        MessageFormatter.arrayFormat(RECOVERED, new Object[] {"", 1, 1L});
    }

    private final GreenServerSocket server;
    private final Greenlet acceptor;
    private final long firstDelayNanos;
    private int failures;
    private long episodeStartNanos;
    private long delayNanos;

    AcceptBackoff(GreenServerSocket server, Greenlet acceptor) {
        this(server, acceptor, FIRST_DELAY_NANOS);
    }

    /** With another first delay: for the test that a close cuts a long back-off short. */
    AcceptBackoff(GreenServerSocket server, Greenlet acceptor, long firstDelayNanos) {
        this.server = server;
        this.acceptor = acceptor;
        this.firstDelayNanos = firstDelayNanos;
    }

    /**
     * After a failed accept on a listener that is still open: logs when this starts an episode,
     * then suspends the acceptor for the next delay, or until the listener is closed.
     */
    void failed(IOException e) {
        if (failures++ == 0) {
            episodeStartNanos = System.nanoTime();
            delayNanos = firstDelayNanos;
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            log.warn(FAILING, server, why);
        } else {
            delayNanos = Math.min(MAX_DELAY_NANOS, delayNanos * 2);
        }
        sleepUnlessClosed(delayNanos);
    }

    /** After a successful accept: ends the episode, if one was going on, with a line in the log. */
    void succeeded() {
        if (failures > 0) {
            log.info(RECOVERED, server, failures, (System.nanoTime() - episodeStartNanos) / 1_000_000);
            failures = 0;
        }
    }

    /**
     * A green sleep that {@link GreenServerSocket#close()} cuts short: the listener is readable
     * the whole time (the connection that could not be accepted is still queued), so waiting for
     * readiness would not wait at all.
     */
    private void sleepUnlessClosed(long nanos) {
        server.wakeOnClose(acceptor.thread());
        try {
            Wait.untilGreen(acceptor, server::isClosing, nanos, this);
        } finally {
            server.wakeOnClose(null);
        }
    }
}
