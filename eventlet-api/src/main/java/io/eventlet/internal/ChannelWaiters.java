package io.eventlet.internal;

import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The green threads waiting on one channel: at most one reader and one writer (eventlet's
 * "second simultaneous read" rule), and the channel's registration with its hub's poller.
 * The suspend path for I/O (eventlet's {@code trampoline}): register interest, arm the timeout
 * (one reusable timer per channel, see below), park until ready, and clean up in {@code finally}.
 *
 * <p>Not thread-safe: used only on its hub's thread (by the hub's green threads and the poller's
 * dispatch).
 */
final class ChannelWaiters implements Poller.ReadinessListener {
    private final Loop hub;   // the loop whose poller and timers serve this channel
    private final SelectableChannel channel;
    private Poller.Registration registration;
    private int interest;
    private int readyOps;
    private Greenlet reader;
    private Greenlet writer;
    private boolean closed;
    /**
     * Set by a green thread of this hub after a stream read that returned fewer bytes than it
     * asked for (the receive queue was empty at that instant); cleared by any READ readiness. While
     * set, the next read would fail with EAGAIN, so {@code GreenSocket.read} waits before trying,
     * saving one system call per message in a request-response exchange (Netty's epoll transport
     * stops reading after a short read for the same reason). Safe on every poller: an
     * edge-triggered one reports every arrival after the drain, a level-triggered one reports
     * whatever is already there as soon as the wait registers its interest.
     */
    private boolean readDrained;
    /** The poller reported {@link Poller#HANGUP}: reads never block again, so never skip one. */
    private boolean hungUp;

    /*
     * Timeouts. A socket with a timeout waits many times a second, and each wait used to schedule
     * a timer and cancel it when the bytes came: a heap insertion, a cancellation, and a share of
     * the heap's compactions per wait (8% of the hub's samples in the demo's echo load, by JFR).
     * Now each direction records the deadline of its current wait, and one timer per channel
     * enforces them. The timer is left in place when a wait ends, since the next wait comes
     * before it is due; when it fires it times out the waits whose deadline has passed and
     * re-arms itself for the earliest one still running, or goes away when none is. A wait whose
     * deadline is earlier than the pending timer's moves the timer forward.
     */
    // Deadlines are hub-clock nanos compared by subtraction, as TimerHeap does: the clock's
    // origin is arbitrary and its values may wrap past Long.MAX_VALUE.
    private long readDeadline;
    private long writeDeadline;
    private boolean readTimed;
    private boolean writeTimed;
    private boolean readTimedOut;
    private boolean writeTimedOut;
    private ScheduledCall deadlineTimer;
    private final Runnable onDeadline = this::deadlineReached;
    // What ends a wait, one per kind of wait so waiting allocates nothing: a close, readiness,
    // or its deadline (the deadline is this channel's timer, not the recipe's; see above).
    private final java.util.function.BooleanSupplier readEnded = () -> closed || (readyOps & Poller.READ) != 0 || readTimedOut;
    private final java.util.function.BooleanSupplier writeEnded = () -> closed || (readyOps & Poller.WRITE) != 0 || writeTimedOut;
    private final java.util.function.BooleanSupplier readOrWriteEnded = () -> closed || (readyOps & (Poller.READ | Poller.WRITE)) != 0 || readTimedOut || writeTimedOut;

    private ChannelWaiters(Loop hub, SelectableChannel channel) {
        this.hub = hub;
        this.channel = channel;
    }

    static ChannelWaiters register(Loop hub, SelectableChannel channel) throws IOException {
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
    int await(Greenlet g, int ops, long timeoutNanos) throws IOException {
        if (closed) {
            throw new AsynchronousCloseException();
        }
        if ((ops & Poller.READ) != 0 && reader != null && reader != g) {
            throw new IllegalStateException("second simultaneous read on " + channel + ": " + reader + " is already waiting to read");
        }
        if ((ops & Poller.WRITE) != 0 && writer != null && writer != g) {
            throw new IllegalStateException("second simultaneous write on " + channel + ": " + writer + " is already waiting to write");
        }
        boolean read = (ops & Poller.READ) != 0;
        boolean write = (ops & Poller.WRITE) != 0;
        boolean timed = timeoutNanos >= 0;
        long now = timed ? hub.clock().nanoTime() : 0;
        long deadline = timed ? now + Wait.clamp(timeoutNanos) : 0;
        if (read) {
            reader = g;
            readTimed = timed;
            readDeadline = deadline;
            readTimedOut = false;
        }
        if (write) {
            writer = g;
            writeTimed = timed;
            writeDeadline = deadline;
            writeTimedOut = false;
        }
        // The caller has just seen the operation would block: older readiness is stale.
        readyOps &= ~ops;
        try {
            if ((interest & ops) != ops) {
                interest |= ops;
                registration.interest(interest);
            }
            if (timed) {
                armDeadline(deadline, now);
            }
            Wait.untilGreen(g, read && write ? readOrWriteEnded : read ? readEnded : writeEnded, Wait.FOREVER, this);
            if (closed) {
                throw new AsynchronousCloseException();
            }
            int r = readyOps & ops;
            if (r != 0) {
                readyOps &= ~r;
                return r;
            }
            return 0;   // timed out: the deadline timer set readTimedOut or writeTimedOut
        } finally {
            if (read) {
                reader = reader == g ? null : reader;
                readTimed = false;
                readTimedOut = false;
            }
            if (write) {
                writer = writer == g ? null : writer;
                writeTimed = false;
                writeTimedOut = false;
            }
            // The deadline timer stays: the next wait will most likely want it.
        }
    }

    /** Makes sure a timer is due at or before {@code deadline}. */
    private void armDeadline(long deadline, long now) {
        ScheduledCall t = deadlineTimer;
        if (t != null) {
            if (t.isPending() && t.deadline - deadline <= 0) {
                return;   // due first; it re-arms itself for this deadline then
            }
            t.cancel();
        }
        deadlineTimer = hub.scheduleOwn(Math.max(0, deadline - now), onDeadline);
    }

    /** The deadline timer's callback, on the hub's thread. */
    private void deadlineReached() {
        deadlineTimer = null;
        if (closed) {
            return;
        }
        long now = hub.clock().nanoTime();
        boolean readWaits = reader != null && readTimed && !readTimedOut;
        boolean writeWaits = writer != null && writeTimed && !writeTimedOut;
        if (readWaits && readDeadline - now <= 0) {
            readTimedOut = true;
            readWaits = false;
            LockSupport.unpark(reader.thread);
        }
        if (writeWaits && writeDeadline - now <= 0) {
            writeTimedOut = true;
            writeWaits = false;
            LockSupport.unpark(writer.thread);
        }
        if (readWaits || writeWaits) {
            long next = !writeWaits ? readDeadline
                    : !readWaits ? writeDeadline
                    : readDeadline - writeDeadline <= 0 ? readDeadline : writeDeadline;
            deadlineTimer = hub.scheduleOwn(Math.max(0, next - now), onDeadline);
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
        cancelDeadlineTimer();
        registration.cancel();
    }

    private void cancelDeadlineTimer() {
        ScheduledCall t = deadlineTimer;
        if (t != null) {
            deadlineTimer = null;
            t.cancel();
        }
    }

    /** Wakes every waiter with {@link AsynchronousCloseException} and ends the registration. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelDeadlineTimer();
        if (reader != null) {
            LockSupport.unpark(reader.thread);
        }
        if (writer != null) {
            LockSupport.unpark(writer.thread);
        }
        registration.cancel();
    }
}
