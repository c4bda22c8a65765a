package io.eventlet.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * The readiness half of a hub: tells the hub which registered channels can make progress.
 *
 * <p>A poller only reports readiness; green threads always retry the operation, so a report may
 * be spurious, and a level-triggered poller may report the same readiness again. A poller must
 * report, at least once, every transition to "ready" of an operation that is in the current
 * interest set of a registration. A level-triggered poller reports only the operations in the
 * interest set; an edge-triggered poller may ignore {@link Registration#interest(int)} and report
 * every edge it sees.
 *
 * <p>A channel may be closed while registered. Its registration is then never reported to the
 * listener of another channel that the kernel later gives the same file descriptor number, and
 * cancelling it afterwards is harmless.
 *
 * <h2>Threading</h2>
 * {@link #register}, {@link #poll}, {@link #close} and every method of {@link Registration} are
 * called only by the hub's own thread. {@link #wakeup()} is called from any thread and must never
 * block or throw. {@link ReadinessListener#ready(int)} is called by {@link #poll} on the hub's
 * thread; it never runs green-thread code (it only makes green threads runnable), so a listener
 * cannot invalidate another registration while the poller dispatches.
 *
 * {@snippet :
 * Poller poller = provider.open();
 * Poller.Registration r = poller.register(pipe.source(), Poller.READ, ops -> System.out.println("ready " + ops));
 * poller.poll(1_000_000_000L);   // up to one second; dispatches ready(READ) when the pipe has data
 * r.cancel();
 * poller.close();
 * }
 */
public interface Poller extends Closeable {
    /** Interest and readiness bit: the channel can be read, or accepts a connection. */
    int READ = 1;
    /** Interest and readiness bit: the channel can be written, or has finished connecting. */
    int WRITE = 2;
    /**
     * Readiness bit, reported with {@link #READ}: the peer has shut down its side or the channel
     * has an error, so a read will never block again. An edge-triggered poller must add it to the
     * report that carries that edge (epoll: {@code EPOLLRDHUP}, {@code EPOLLHUP}, {@code EPOLLERR}):
     * after a short read the hub waits for the next edge before reading again, and once the end
     * of the stream has been reported no further edge comes. A level-triggered poller may omit it.
     * Never part of an interest set.
     */
    int HANGUP = 4;

    /**
     * Registers a non-blocking channel. A channel is registered at most once per poller at a time.
     *
     * @return the registration, to change its interest or cancel it
     * @param channel a channel in non-blocking mode
     * @param ops the initial interest: a combination of {@link #READ} and {@link #WRITE}, or 0
     *     to register quietly
     * @param listener told of readiness on the hub's thread
     * @throws java.nio.channels.ClosedChannelException when the channel is already closed
     * @throws IOException when the operating system refuses the registration
     */
    Registration register(SelectableChannel channel, int ops, ReadinessListener listener) throws IOException;

    /**
     * Waits until a registered channel is ready, {@link #wakeup()} is called, or the timeout
     * passes, then calls the listener of every ready registration.
     *
     * @param timeoutNanos 0 to return at once, negative to wait without a bound; a positive
     *     timeout may be rounded up to the poller's resolution, never down
     * @return how many registrations were reported
     * @throws IOException when the poll fails for a reason other than an interruption; the hub logs
     *     it and polls again
     */
    int poll(long timeoutNanos) throws IOException;

    /**
     * The {@link #poll} timeout as the millisecond argument of poll(2), epoll_wait(2) or
     * {@link java.nio.channels.Selector#select(long)}: 0 for 0, -1 for a negative timeout (no
     * bound), and a positive one rounded up, never to 0, capped at {@link Integer#MAX_VALUE}.
     * Rounding down would wake the hub before its next timer is due, only to poll again.
     *
     * {@snippet :
     * int n = Syscalls.epollWait(epfd, events, MAX_EVENTS, Poller.timeoutMillis(timeoutNanos));
     * }
     *
     * @param timeoutNanos the hub's timeout, as given to {@link #poll}
     * @return the timeout in milliseconds for the system call
     */
    static int timeoutMillis(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return timeoutNanos == 0 ? 0 : -1;
        }
        long ms = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /**
     * Makes the current or next {@link #poll} return soon. Any thread; never blocks or throws,
     * not even after {@link #close()}. Wake-ups are not counted: several before one poll end only
     * that poll, and the next one waits again.
     */
    void wakeup();

    /**
     * The number of live registrations; lets the hub skip a useless zero-timeout poll.
     *
     * @return the number of registrations not cancelled
     */
    int registrations();

    /**
     * Releases the poller's resources; the registrations are gone with it ({@link #registrations()}
     * is 0, cancelling one does nothing). Idempotent. Afterwards {@link #poll} and {@link #register}
     * throw {@link java.nio.channels.ClosedSelectorException}.
     */
    @Override
    void close() throws IOException;

    /** One channel's registration with a poller. Used only on the hub's thread. */
    interface Registration {
        /**
         * Replaces the interest set: a combination of {@link #READ} and {@link #WRITE}, or 0 for
         * none. With 0, a level-triggered poller reports nothing, not even a hang-up or an error,
         * which would otherwise make the hub spin on a channel nobody waits for.
         *
         * @param ops the new interest
         * @throws IOException when the operating system refuses the change (the channel was closed
         *     behind the poller's back)
         */
        void interest(int ops) throws IOException;

        /**
         * Ends the registration; no further readiness is reported, not even readiness the current
         * {@link #poll} has already collected when a listener cancels another registration.
         * Idempotent, and allowed after the channel was closed.
         */
        void cancel();
    }

    /** Receives readiness on the hub's thread. */
    @FunctionalInterface
    interface ReadinessListener {
        /**
         * Called with the readiness the poll found for this registration.
         *
         * @param readyOps a non-empty combination of {@link #READ} and {@link #WRITE}, with
         *     {@link #HANGUP} beside {@link #READ} when the poller saw a hang-up or an error
         */
        void ready(int readyOps);
    }
}
