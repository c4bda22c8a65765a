package io.eventlet.spi;

import java.io.IOException;

/**
 * The bookkeeping around a native poller's wake-up descriptor (an eventfd, a pipe): wake-ups are
 * coalesced, so at most one signal is in flight until the poller drains it, and none is sent once
 * the poller is closed, whose descriptor number may already belong to someone else.
 *
 * <p>The order matters and is easy to get wrong: the pending flag is cleared only after the
 * descriptor was drained. Clearing it first loses a wake-up sent between the two (the drain
 * swallows its signal while the flag stays set, every later {@link #wakeup()} sees the flag and
 * sends nothing, and the hub sleeps for good). A wake-up that finds the flag still set during a
 * drain needs no signal: the poll it wants to end has already returned, and the hub looks at its
 * queue before it polls again.
 *
 * {@snippet :
 * private final WakeupSignal signal = new WakeupSignal(() -> Native.write(wakeFd, one, 8));
 *
 * public void wakeup() {                       // Poller#wakeup, any thread
 *     signal.wakeup();
 * }
 *
 * // in poll(), when the wake-up descriptor is reported ready:
 * signal.drained(() -> Native.read(wakeFd, buffer, 8));
 *
 * public void close() throws IOException {
 *     if (signal.close()) {                    // true once: release the descriptors now
 *         Native.close(wakeFd);
 *     }
 * }
 * }
 *
 * <p>Threading: {@link #wakeup()} is called from any thread and never blocks for long (only
 * behind another wake-up's send or a close) or throws. {@link #drained}, {@link #close()} and
 * {@link #isClosed()} are called only by the hub's thread.
 */
public final class WakeupSignal {
    /** Writes the signal to the wake-up descriptor; any thread, under this object's lock. */
    @FunctionalInterface
    public interface Sender {
        /**
         * Writes one wake-up signal.
         *
         * @throws IOException when the write fails; ignored by {@link #wakeup()}
         */
        void send() throws IOException;
    }

    /** Empties the wake-up descriptor; hub thread. */
    @FunctionalInterface
    public interface Drain {
        /**
         * Reads and drops every pending wake-up signal.
         *
         * @throws IOException when the read fails; passed on by {@link #drained}
         */
        void drain() throws IOException;
    }

    private final Sender sender;
    /** Orders wakeup() against close(), so a signal is never written to a closed descriptor. */
    private final Object lock = new Object();
    /** Guarded by lock: a signal was sent and not yet drained, so another one is useless. */
    private boolean pending;
    /** Written by the hub thread under lock; the hub thread may read it without the lock. */
    private boolean closed;

    /**
     * A signal for a poller's wake-up descriptor.
     *
     * @param sender writes one signal; its failures are ignored (see {@link #wakeup()})
     */
    public WakeupSignal(Sender sender) {
        this.sender = sender;
    }

    /**
     * Sends a signal unless one is pending or the poller is closed. A failure to send is ignored:
     * a full eventfd counter or pipe (EAGAIN) means the poller is woken anyway, an open
     * descriptor fails no other way, and a wake-up must never throw into the JDK's scheduler.
     */
    public void wakeup() {
        synchronized (lock) {
            if (closed || pending) {
                return;
            }
            pending = true;
            try {
                sender.send();
            } catch (IOException | RuntimeException e) {
                // See the method comment: the poller is woken anyway.
            }
        }
    }

    /**
     * Runs {@code drain}, then allows the next wake-up to send again (in that order: see the class
     * comment). Called by the poll that saw the wake-up descriptor ready.
     *
     * @param drain empties the wake-up descriptor
     * @throws IOException what {@code drain} throws; the next wake-up may then send again
     */
    public void drained(Drain drain) throws IOException {
        drain.drain();
        synchronized (lock) {
            pending = false;
        }
    }

    /**
     * Stops all further signals. Returns true the first time only, when the caller should release
     * the wake-up descriptor: no {@link #wakeup()} can be writing to it any more.
     *
     * @return true for the first call, false for every later one
     */
    public boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /**
     * Whether {@link #close()} was called. Hub thread only (it wrote the flag).
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "WakeupSignal[" + (closed ? "closed" : pending ? "pending" : "idle") + "]";
        }
    }
}
