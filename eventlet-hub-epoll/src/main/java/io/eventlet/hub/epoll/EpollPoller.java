package io.eventlet.hub.epoll;

import io.eventlet.jnr.ErrnoException;
import io.eventlet.jnr.Native;
import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.Poller;
import io.eventlet.spi.WakeupSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import jnr.ffi.Pointer;

import static io.eventlet.hub.epoll.Syscalls.EAGAIN;
import static io.eventlet.hub.epoll.Syscalls.EPOLLERR;
import static io.eventlet.hub.epoll.Syscalls.EPOLLET;
import static io.eventlet.hub.epoll.Syscalls.EPOLLHUP;
import static io.eventlet.hub.epoll.Syscalls.EPOLLIN;
import static io.eventlet.hub.epoll.Syscalls.EPOLLOUT;
import static io.eventlet.hub.epoll.Syscalls.EPOLLRDHUP;
import static io.eventlet.hub.epoll.Syscalls.EPOLL_CTL_ADD;
import static io.eventlet.hub.epoll.Syscalls.EPOLL_CTL_DEL;
import static io.eventlet.hub.epoll.Syscalls.EPOLL_CTL_MOD;
import static io.eventlet.jnr.Errno.EBADF;
import static io.eventlet.jnr.Errno.ENOENT;

/**
 * A {@link Poller} over one Linux epoll instance, edge-triggered.
 *
 * <p>Each channel is added once, at {@link #register}, edge-triggered for reading
 * ({@code EPOLLIN|EPOLLRDHUP|EPOLLET}), and stays so: {@link Registration#interest(int)} never
 * touches the read side, which the {@link Poller} contract allows an edge-triggered poller. Green
 * threads always retry the operation and wait only after it would block, and the kernel raises a
 * new edge for every later arrival of data, so no wake-up is lost; an edge nobody waits for only
 * sets a flag in the hub. Measured in the prototype (docs/design.md, founding decision 4), one {@code epoll_ctl}
 * per channel instead of one per wait gave the lowest cost per round trip.
 *
 * <p>{@code EPOLLOUT} is different: TCP raises a write edge for every ACK that frees send-buffer
 * space, even on a socket that never stopped being writable, so a channel registered for it
 * forever reports a stream of edges nobody waits for.
 * It is added with {@code EPOLL_CTL_MOD} only while a green thread waits to write, and removed
 * when the hub reports a write edge with no writer; {@code EPOLL_CTL_MOD} re-checks readiness, so
 * a socket that is already writable when a writer arrives is reported at once.
 *
 * <p>Registrations are found by file descriptor in an array grown on demand (descriptors are
 * small, dense ints). {@code epoll_event.data} carries the descriptor and a generation number of
 * the registration, so an event left over from a closed descriptor whose number now belongs to a
 * newer registration is recognised and dropped (see {@link #poll}).
 *
 * <p>{@link #wakeup()} writes to an {@code eventfd} that is in the epoll set, level-triggered,
 * and drained when reported; a {@link WakeupSignal} coalesces the writes.
 *
 * <p>Not thread-safe, except {@link #wakeup()}: the hub's thread only.
 */
final class EpollPoller implements Poller {
    /** Events read by one epoll_wait; more wait for the next poll, which comes at once. */
    static final int MAX_EVENTS = 1024;

    private static final EpollEvent LAYOUT = EpollEvent.of(System.getProperty("os.arch"));
    /** Every edge a channel can have, asked for once per channel. */
    private static final int CHANNEL_EVENTS = EPOLLIN | EPOLLRDHUP | EPOLLET;
    private static final int READ_EVENTS = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
    private static final int WRITE_EVENTS = EPOLLOUT | EPOLLHUP | EPOLLERR;
    /** The edges after which a read never blocks again: reported as READ | HANGUP. */
    private static final int HANGUP_EVENTS = EPOLLHUP | EPOLLERR | EPOLLRDHUP;
    /** The data of the wake-up eventfd: its low half is fd -1, which no registration has. */
    private static final long WAKE_DATA = -1L;

    private final int epfd;
    private final int wakeFd;
    /**
     * epoll_wait's output, allocated once, as a direct buffer: read through it, each field is a
     * plain memory load. Read through a JNR {@code Pointer}, each was a JNI call (jffi's
     * {@code MemoryIO$NativeImpl} on JDK 25: 4% of the hub's JFR samples with 2,000 busy
     * connections). Hub thread only.
     */
    private final ByteBuffer eventBuffer;
    /** The same memory, for epoll_wait. */
    private final Pointer events;
    /** epoll_ctl's input. Hub thread only. */
    private final Pointer ctlEvent;
    /** The eventfd counter value 1; never written after construction, so any thread may send it. */
    private final Pointer one;
    /** Where a wake-up is drained to. Hub thread only. */
    private final Pointer drained;

    /** Coalesces wake-ups and never sends one after close, when the eventfd number may be reused. */
    private final WakeupSignal wakeSignal;

    // Hub-thread state.
    private EpollRegistration[] byFd = new EpollRegistration[256];
    private int generation;
    private int registrations;
    private final EpollRegistration[] readyRegistrations = new EpollRegistration[MAX_EVENTS];
    private final int[] readyOps = new int[MAX_EVENTS];

    EpollPoller() throws IOException {
        this.eventBuffer = ByteBuffer.allocateDirect(MAX_EVENTS * LAYOUT.size()).order(ByteOrder.nativeOrder());
        this.events = Pointer.wrap(Native.runtime(), eventBuffer);
        this.ctlEvent = Native.allocate(LAYOUT.size());
        this.one = Native.allocate(Long.BYTES);
        this.drained = Native.allocate(Long.BYTES);
        one.putLongLong(0, 1L);
        this.epfd = Syscalls.epollCreate1(Syscalls.EPOLL_CLOEXEC);
        int wake = -1;
        try {
            wake = Syscalls.eventfd(0, Syscalls.EFD_NONBLOCK | Syscalls.EFD_CLOEXEC);
            // Level-triggered: it stays reported until drained, so a wake-up cannot be missed.
            LAYOUT.put(ctlEvent, 0, EPOLLIN, WAKE_DATA);
            Syscalls.epollCtl(epfd, EPOLL_CTL_ADD, wake, ctlEvent);
        } catch (IOException | RuntimeException e) {
            closeQuietly(wake, e);
            closeQuietly(epfd, e);
            throw e;
        }
        this.wakeFd = wake;
        // EAGAIN means the counter is full, so the poller is woken anyway; WakeupSignal ignores it.
        this.wakeSignal = new WakeupSignal(() -> Native.write(wakeFd, one, Long.BYTES));
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, ReadinessListener listener) throws IOException {
        ensureOpen();
        if (!channel.isOpen()) {
            // getFDVal still answers for a closed channel, and the number may be someone else's now.
            throw new ClosedChannelException();
        }
        int fd = ChannelFd.of(channel);
        // 2^32 registrations later a generation comes back; an event would have to survive that
        // long in the kernel for the reuse check to be fooled.
        int gen = ++generation;
        boolean write = (ops & WRITE) != 0;
        LAYOUT.put(ctlEvent, 0, CHANNEL_EVENTS | (write ? EPOLLOUT : 0), ((long) gen << 32) | (fd & 0xFFFF_FFFFL));
        Syscalls.epollCtl(epfd, EPOLL_CTL_ADD, fd, ctlEvent);
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        EpollRegistration previous = byFd[fd];
        if (previous != null) {
            // The kernel gave this number to a new channel, so the previous one's was closed
            // without cancelling: that registration can never be reported again.
            previous.detach();
        }
        EpollRegistration r = new EpollRegistration(fd, gen, listener);
        r.writeArmed = write;
        byFd[fd] = r;
        registrations++;
        return r;
    }

    /**
     * One {@code epoll_wait}, then the listeners. All events are read before any listener runs
     * (eventlet's rule), so a listener that cancels another registration cannot be handed a
     * half-read buffer.
     *
     * <p>An event is dropped when the registration found under its descriptor has another
     * generation. That happens when a channel is closed while its open file description lives on
     * elsewhere (a dup in a child process or in the JDK): epoll keys its entries by (file,
     * descriptor) and removes one only when the file itself goes away, so the old entry may still
     * report while the number now belongs to a newer registration.
     */
    @Override
    public int poll(long timeoutNanos) throws IOException {
        ensureOpen();
        int n = Syscalls.epollWait(epfd, events, MAX_EVENTS, Poller.timeoutMillis(timeoutNanos));
        int ready = 0;
        for (int i = 0; i < n; i++) {
            long data = LAYOUT.data(eventBuffer, i);
            if (data == WAKE_DATA) {
                drainWakeup();
                continue;
            }
            int fd = (int) data;
            EpollRegistration r = fd < byFd.length ? byFd[fd] : null;
            if (r == null || r.generation != (int) (data >>> 32)) {
                continue;
            }
            int e = LAYOUT.events(eventBuffer, i);
            int ops = ((e & READ_EVENTS) != 0 ? READ : 0) | ((e & WRITE_EVENTS) != 0 ? WRITE : 0)
                    | ((e & HANGUP_EVENTS) != 0 ? READ | HANGUP : 0);
            if (ops != 0) {
                readyRegistrations[ready] = r;
                readyOps[ready] = ops;
                ready++;
            }
        }
        int reported = 0;
        for (int i = 0; i < ready; i++) {
            EpollRegistration r = readyRegistrations[i];
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
            try {
                Native.read(wakeFd, drained, Long.BYTES);
            } catch (ErrnoException e) {
                if (e.errno() != EAGAIN) {
                    throw e;
                }
                // Already drained: the read raced nothing, the counter was just 0.
            }
        });
    }

    @Override
    public void wakeup() {
        wakeSignal.wakeup();
    }

    @Override
    public int registrations() {
        return registrations;
    }

    @Override
    public void close() throws IOException {
        if (!wakeSignal.close()) {
            return;
        }
        registrations = 0;
        Arrays.fill(byFd, null);
        IOException failure = null;
        try {
            Native.close(wakeFd);
        } catch (IOException e) {
            failure = e;
        }
        try {
            Native.close(epfd);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (wakeSignal.isClosed()) {
            throw new ClosedSelectorException();
        }
    }

    private static void closeQuietly(int fd, Throwable failure) {
        if (fd >= 0) {
            try {
                Native.close(fd);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public String toString() {
        return "EpollPoller[epoll fd " + epfd + ", " + registrations + " registrations]";
    }

    /** One channel in the epoll set. Hub thread only. */
    private final class EpollRegistration implements Registration {
        final int fd;
        final int generation;
        final ReadinessListener listener;
        boolean cancelled;
        /** Whether EPOLLOUT is in this descriptor's epoll entry now. */
        boolean writeArmed;

        EpollRegistration(int fd, int generation, ReadinessListener listener) {
            this.fd = fd;
            this.generation = generation;
            this.listener = listener;
        }

        @Override
        public void interest(int ops) throws IOException {
            // The read side is always armed (see the class comment); only EPOLLOUT follows interest.
            boolean write = (ops & WRITE) != 0;
            if (write == writeArmed || cancelled) {
                return;
            }
            LAYOUT.put(ctlEvent, 0, CHANNEL_EVENTS | (write ? EPOLLOUT : 0), ((long) generation << 32) | (fd & 0xFFFF_FFFFL));
            try {
                Syscalls.epollCtl(epfd, EPOLL_CTL_MOD, fd, ctlEvent);
            } catch (ErrnoException e) {
                if (e.errno() == ENOENT || e.errno() == EBADF) {
                    throw new ClosedChannelException();   // closed under us: the wait reports it
                }
                throw e;
            }
            writeArmed = write;
        }

        /** Dropped because the descriptor was closed and reused; the kernel already forgot it. */
        void detach() {
            cancelled = true;
            registrations--;
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (wakeSignal.isClosed()) {
                // The epoll fd is gone with every entry, and its number may be another poller's now.
                return;
            }
            registrations--;
            byFd[fd] = null;
            try {
                Syscalls.epollCtl(epfd, EPOLL_CTL_DEL, fd, ctlEvent);
            } catch (ErrnoException e) {
                // ENOENT, EBADF: the channel was closed first, and closing removed it from the set
                // (or the number now names a file this poller never saw).
                if (e.errno() != ENOENT && e.errno() != EBADF) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public String toString() {
            return "EpollRegistration[fd " + fd + ", generation " + generation + (cancelled ? ", cancelled" : "") + "]";
        }
    }
}
