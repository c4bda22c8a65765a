package io.eventlet.hub.poll;

import io.eventlet.jnr.Native;
import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.Poller;
import io.eventlet.spi.WakeupSignal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import jnr.ffi.Pointer;

import static io.eventlet.hub.poll.PollFd.POLLERR;
import static io.eventlet.hub.poll.PollFd.POLLHUP;
import static io.eventlet.hub.poll.PollFd.POLLIN;
import static io.eventlet.hub.poll.PollFd.POLLNVAL;
import static io.eventlet.hub.poll.PollFd.POLLOUT;

/**
 * A {@link Poller} over poll(2), level-triggered: the native {@code struct pollfd} array is kept
 * between calls, and {@link Registration#interest(int)} rewrites one element's {@code events}.
 *
 * <p>Element 0 is the read end of a wake-up pipe; each registration owns one element and knows
 * its index, so cancelling moves the last element into the hole (O(1), order does not matter to
 * poll). A registration with no interest gets fd -1 in its element, which poll skips: otherwise
 * a hang-up or error, which poll reports whatever {@code events} says, would be reported on every
 * call while nobody waits, and the hub would spin.
 *
 * <p>The wake-up pipe is a {@link Pipe}: the JDK creates it and makes it non-blocking on every
 * platform, so this class needs no {@code pipe}/{@code fcntl} constants of its own.
 *
 * <p>Not thread-safe, except {@link #wakeup()}: the hub's thread only.
 */
final class PollPoller implements Poller {
    private static final int READ_EVENTS = POLLIN | POLLHUP | POLLERR | POLLNVAL;
    private static final int WRITE_EVENTS = POLLOUT | POLLHUP | POLLERR | POLLNVAL;

    private final Pipe wakePipe;
    private final int wakeSinkFd;
    /** One byte to send; never written after construction, so any thread may send it. */
    private final Pointer one;
    /** Where wake-ups are drained to. Hub thread only. */
    private final ByteBuffer drained = ByteBuffer.allocateDirect(64);

    /** Coalesces wake-ups and never sends one after close, when the pipe's number may be reused. */
    private final WakeupSignal wakeSignal;

    // Hub-thread state: elements [0, count) of fds are live; slots[i] owns element i (i > 0).
    private ByteBuffer fds;
    /** The same memory as {@link #fds}, for poll(2). */
    private Pointer fdsPointer;
    private PollRegistration[] slots;
    private int count;
    private PollRegistration[] readyRegistrations;
    private int[] readyOps;

    PollPoller() throws IOException {
        this(16);
    }

    PollPoller(int initialCapacity) throws IOException {
        this.one = Native.allocate(1);
        one.putByte(0, (byte) 1);
        allocate(Math.max(2, initialCapacity));
        this.wakePipe = Pipe.open();
        try {
            wakePipe.source().configureBlocking(false);
            wakePipe.sink().configureBlocking(false);
            this.wakeSinkFd = ChannelFd.of(wakePipe.sink());
            PollFd.set(fds, 0, ChannelFd.of(wakePipe.source()), POLLIN);
        } catch (IOException | RuntimeException e) {
            try {
                closePipe();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        count = 1;
        // EAGAIN means the pipe is full, so the poller is woken anyway; WakeupSignal ignores it.
        this.wakeSignal = new WakeupSignal(() -> Native.write(wakeSinkFd, one, 1));
    }

    private void allocate(int capacity) {
        ByteBuffer grown = PollFd.allocate(capacity);
        if (fds != null) {
            grown.put(0, fds, 0, count * PollFd.SIZE);
        }
        fds = grown;
        fdsPointer = Pointer.wrap(Native.runtime(), grown);
        slots = slots == null ? new PollRegistration[capacity] : Arrays.copyOf(slots, capacity);
        readyRegistrations = new PollRegistration[capacity];
        readyOps = new int[capacity];
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, ReadinessListener listener) throws IOException {
        ensureOpen();
        if (!channel.isOpen()) {
            // getFDVal still answers for a closed channel, and the number may be someone else's now.
            throw new ClosedChannelException();
        }
        int fd = ChannelFd.of(channel);
        if (count == slots.length) {
            allocate(slots.length * 2);
        }
        PollRegistration r = new PollRegistration(fd, count, listener);
        slots[count] = r;
        count++;
        r.write(ops);
        return r;
    }

    /**
     * One {@code poll}, then the listeners. All ready elements are read before any listener runs
     * (eventlet's rule): a listener that cancels a registration moves elements around.
     */
    @Override
    public int poll(long timeoutNanos) throws IOException {
        ensureOpen();
        int n = Syscalls.poll(fdsPointer, count, Poller.timeoutMillis(timeoutNanos));
        int ready = 0;
        for (int i = 0, seen = 0; i < count && seen < n; i++) {
            int revents = PollFd.revents(fds, i);
            if (revents == 0) {
                continue;
            }
            seen++;
            if (i == 0) {
                drainWakeup();
                continue;
            }
            PollRegistration r = slots[i];
            int ops = (((revents & READ_EVENTS) != 0 ? READ : 0) | ((revents & WRITE_EVENTS) != 0 ? WRITE : 0)) & r.interest;
            if (ops != 0) {
                readyRegistrations[ready] = r;
                readyOps[ready] = ops;
                ready++;
            }
        }
        int reported = 0;
        for (int i = 0; i < ready; i++) {
            PollRegistration r = readyRegistrations[i];
            readyRegistrations[i] = null;
            if (!r.cancelled) {
                reported++;
                r.listener.ready(readyOps[i]);
            }
        }
        return reported;
    }

    private void drainWakeup() throws IOException {
        wakeSignal.drained(() -> {
            do {
                drained.clear();
            } while (wakePipe.source().read(drained) > 0);
        });
    }

    @Override
    public void wakeup() {
        wakeSignal.wakeup();
    }

    @Override
    public int registrations() {
        return count - 1;
    }

    @Override
    public void close() throws IOException {
        if (!wakeSignal.close()) {
            return;
        }
        Arrays.fill(slots, null);
        count = 1;
        closePipe();
    }

    private void closePipe() throws IOException {
        try {
            wakePipe.source().close();
        } finally {
            wakePipe.sink().close();
        }
    }

    private void ensureOpen() {
        if (wakeSignal.isClosed()) {
            throw new ClosedSelectorException();
        }
    }

    private static short toPoll(int ops) {
        return (short) (((ops & READ) != 0 ? POLLIN : 0) | ((ops & WRITE) != 0 ? POLLOUT : 0));
    }

    @Override
    public String toString() {
        return "PollPoller[" + (count - 1) + " registrations]";
    }

    /** One channel's element of the pollfd array. Hub thread only. */
    private final class PollRegistration implements Registration {
        final int fd;
        final ReadinessListener listener;
        int index;
        int interest;
        boolean cancelled;

        PollRegistration(int fd, int index, ReadinessListener listener) {
            this.fd = fd;
            this.index = index;
            this.listener = listener;
        }

        @Override
        public void interest(int ops) {
            if (!cancelled) {
                write(ops);
            }
        }

        void write(int ops) {
            interest = ops & (READ | WRITE);
            // fd -1 when nothing is wanted: see the class comment.
            PollFd.set(fds, index, interest == 0 ? -1 : fd, toPoll(interest));
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (wakeSignal.isClosed()) {
                return;
            }
            int last = count - 1;
            if (index != last) {
                PollFd.move(fds, last, index);
                PollRegistration moved = slots[last];
                moved.index = index;
                slots[index] = moved;
            }
            slots[last] = null;
            count--;
        }

        @Override
        public String toString() {
            return "PollRegistration[fd " + fd + ", element " + index + (cancelled ? ", cancelled" : "") + "]";
        }
    }
}
