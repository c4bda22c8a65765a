package io.eventlet;

import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The green threads waiting on one channel: at most one reader and one writer (eventlet's
 * "second simultaneous read" rule), and the channel's registration with its hub's poller.
 * The suspend path for I/O (eventlet's {@code trampoline}): register interest, arm the timeout,
 * park until ready, and clean up in {@code finally}.
 *
 * <p>Not thread-safe: used only on its hub's thread (by the hub's green threads and the poller's
 * dispatch).
 */
final class ChannelWaiters implements Poller.ReadinessListener {
    private final Hub hub;
    private final SelectableChannel channel;
    private Poller.Registration registration;
    private int interest;
    private int readyOps;
    private GreenThread<?> reader;
    private GreenThread<?> writer;
    private boolean closed;
    /**
     * Set by a green thread of this hub after a stream read that returned fewer bytes than it
     * asked for (the receive queue was empty at that instant); cleared by any READ readiness. While
     * set, the next read would fail with EAGAIN, so {@link GreenSocket#read} waits before trying,
     * saving one system call per message in a request-response exchange (Netty's epoll transport
     * stops reading after a short read for the same reason). Safe on every poller: an
     * edge-triggered one reports every arrival after the drain, a level-triggered one reports
     * whatever is already there as soon as the wait registers its interest.
     */
    private boolean readDrained;
    /** The poller reported {@link Poller#HANGUP}: reads never block again, so never skip one. */
    private boolean hungUp;

    private ChannelWaiters(Hub hub, SelectableChannel channel) {
        this.hub = hub;
        this.channel = channel;
    }

    static ChannelWaiters register(Hub hub, SelectableChannel channel) throws IOException {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException(channel + " is in blocking mode: configureBlocking(false) first");
        }
        ChannelWaiters w = new ChannelWaiters(hub, channel);
        w.registration = hub.poller().register(channel, 0, w);
        return w;
    }

    /**
     * Suspends the current green thread until one of {@code ops} is reported ready.
     *
     * @param timeoutNanos negative to wait without a bound
     * @return the ready ops among {@code ops}, or 0 when the timeout passed first
     * @throws IllegalStateException when another green thread already waits for the same direction
     * @throws AsynchronousCloseException when the waiters are closed while waiting
     */
    int await(GreenThread<?> g, int ops, long timeoutNanos) throws IOException {
        if (closed) {
            throw new AsynchronousCloseException();
        }
        if ((ops & Poller.READ) != 0 && reader != null && reader != g) {
            throw new IllegalStateException("second simultaneous read on " + channel + ": " + reader + " is already waiting to read");
        }
        if ((ops & Poller.WRITE) != 0 && writer != null && writer != g) {
            throw new IllegalStateException("second simultaneous write on " + channel + ": " + writer + " is already waiting to write");
        }
        if ((ops & Poller.READ) != 0) {
            reader = g;
        }
        if ((ops & Poller.WRITE) != 0) {
            writer = g;
        }
        // The caller has just seen the operation would block: older readiness is stale.
        readyOps &= ~ops;
        Timer timer = null;
        try {
            if ((interest & ops) != ops) {
                interest |= ops;
                registration.interest(interest);
            }
            if (timeoutNanos >= 0) {
                Thread t = g.thread;
                timer = hub.scheduleOwn(timeoutNanos, () -> LockSupport.unpark(t));
            }
            while (true) {
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                int r = readyOps & ops;
                if (r != 0) {
                    readyOps &= ~r;
                    return r;
                }
                if (timer != null && timer.hasFired()) {
                    return 0;
                }
                g.parkOnce(this);
            }
        } finally {
            if (reader == g) {
                reader = null;
            }
            if (writer == g) {
                writer = null;
            }
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** After a read that returned fewer bytes than asked for (see {@link #readDrained}). */
    void noteReadDrained() {
        readDrained = !hungUp;
    }

    boolean readDrained() {
        return readDrained;
    }

    @Override
    public void ready(int ops) {
        if ((ops & Poller.HANGUP) != 0) {
            hungUp = true;
            ops &= ~Poller.HANGUP;
        }
        readyOps |= ops;
        int unwanted = 0;
        if ((ops & Poller.READ) != 0) {
            readDrained = false;
            if (reader != null) {
                LockSupport.unpark(reader.thread);
            } else {
                unwanted |= Poller.READ;
            }
        }
        if ((ops & Poller.WRITE) != 0) {
            if (writer != null) {
                LockSupport.unpark(writer.thread);
            } else {
                unwanted |= Poller.WRITE;
            }
        }
        if ((interest & unwanted) != 0 && !closed) {
            // Nobody waits for this direction: stop a level-triggered poller from reporting it
            // again and again. Interest is added back by the next wait.
            interest &= ~unwanted;
            try {
                registration.interest(interest);
            } catch (IOException e) {
                // The channel is going away; the next wait reports it.
            }
        }
    }

    /** True when nobody waits. */
    boolean idle() {
        return reader == null && writer == null;
    }

    /** Ends the registration (the channel stays open). */
    void cancel() {
        registration.cancel();
    }

    /** Wakes every waiter with {@link AsynchronousCloseException} and ends the registration. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reader != null) {
            LockSupport.unpark(reader.thread);
        }
        if (writer != null) {
            LockSupport.unpark(writer.thread);
        }
        registration.cancel();
    }
}
