package io.eventlet.internal;

import io.eventlet.spi.Poller;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * Ties one green socket's channel to the hub whose green threads use it, and waits for readiness
 * on its behalf: through the hub's poller for green threads, through a private selector for plain
 * threads. The hub is the one of the first green thread that waits; a green thread of another hub
 * gets {@link IllegalStateException} (a socket's waiters live on one hub's thread).
 *
 * <p>Thread-safe: {@link #await} from the socket's green threads or plain threads, {@link #close}
 * from any thread.
 */
public final class IoBinding {
    private static final VarHandle HUB;

    static {
        try {
            HUB = MethodHandles.lookup().findVarHandle(IoBinding.class, "hub", Loop.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SelectableChannel channel;
    private final Object owner;
    private volatile Loop hub;
    private ChannelWaiters waiters;       // only the hub's thread touches it
    private final Selector[] plainSelectors = new Selector[2];   // read, write; guarded by itself
    private final Object[] plainLocks = {new Object(), new Object()};
    private volatile boolean closed;
    /** The socket's timeout: -1 none, 0 non-blocking, else nanoseconds per operation. */
    private volatile long timeoutNanos = -1;

    public IoBinding(SelectableChannel channel, Object owner) {
        this.channel = channel;
        this.owner = owner;
    }

    // ---- the socket's timeout (eventlet's settimeout) ------------------------------------------

    /** null: none; zero: non-blocking; positive: {@link SocketTimeoutException} per operation. */
    public void setTimeout(Duration timeout) {
        timeoutNanos = toTimeoutNanos(timeout);
    }

    public Duration timeout() {
        long t = timeoutNanos;
        return t < 0 ? null : Duration.ofNanos(t);
    }

    public boolean nonBlocking() {
        return timeoutNanos == 0;
    }

    /** The deadline of an operation that starts now: -1 when it has none. */
    public long deadline() {
        long t = timeoutNanos;
        return t > 0 ? Wait.deadline(t) : Wait.FOREVER;
    }

    /**
     * The wait of one operation that would block: until {@code op} is ready or {@code deadline}
     * (from {@link #deadline()}) passes.
     *
     * @throws SocketTimeoutException naming the operation and the socket when the deadline passes
     */
    public void awaitOp(int op, long deadline, String what) throws IOException {
        awaitOp(op, deadline, timeoutNanos, what);
    }

    /** {@link #awaitOp(int, long, String)} for an operation with a timeout of its own (connect). */
    public void awaitOp(int op, long deadline, long timeoutNanos, String what) throws IOException {
        long left = Wait.remaining(deadline);
        if (left == 0 || !await(op, left)) {   // left is FOREVER (-1) without a deadline
            throw new SocketTimeoutException(what + " on " + owner + " timed out after " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    private static long toTimeoutNanos(Duration timeout) {
        return Wait.checkedTimeoutNanos(timeout, ": use null for none, zero for non-blocking");
    }

    /** The local address for a {@code toString}, or "closed". */
    public static String describe(NetworkChannel channel) {
        if (!channel.isOpen()) {
            return "closed";
        }
        try {
            return String.valueOf(channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    // ---- the drained-read hint (see ChannelWaiters.readDrained) ------------------------------

    /**
     * Notes that a read just returned fewer bytes than asked for. Only a green thread of the
     * socket's hub keeps the hint; on any other thread this does nothing.
     */
    public void noteReadDrained() {
        Loop h = hub;
        if (h != null && h.isOwnContext() && waiters != null) {
            waiters.noteReadDrained();
        }
    }

    /**
     * True when the calling green thread's read would almost surely block: the last read drained
     * the receive queue and the poller has reported nothing since. Always false on a plain thread,
     * a green thread of another hub, or a non-blocking socket.
     */
    public boolean readDrained() {
        Loop h = hub;
        return h != null && timeoutNanos != 0 && h.isOwnContext() && waiters != null && waiters.readDrained();
    }

    /**
     * For {@code GreenSocket.awaitReadable}: true when a green thread of this socket's hub (or of
     * any hub, for a socket no green thread has waited on yet) should wait before reading. With
     * a drained-read hint it should; a socket that never waited has no hint, and finding out by
     * waiting binds it to the caller's hub exactly as its first blocking read would. False on a
     * plain thread, a green thread of another hub (its read will say why), or a non-blocking
     * socket.
     */
    public boolean readMayBlock() {
        Greenlet g = Greenlet.current();
        if (g == null || timeoutNanos == 0 || closed) {
            return false;
        }
        Loop h = hub;
        if (h == null || waiters == null) {
            return h == null || h == g.loop;
        }
        return h == g.loop && waiters.readDrained();
    }

    // ---- waiting --------------------------------------------------------------------------------

    /**
     * Waits until one of {@code ops} is ready.
     *
     * @param timeoutNanos negative: no bound
     * @return false when the timeout passed first
     * @throws AsynchronousCloseException (a {@link ClosedWhileWaitingException}) when the socket
     *     is closed while waiting
     */
    public boolean await(int ops, long timeoutNanos) throws IOException {
        if (closed) {
            throw new ClosedWhileWaitingException(owner);
        }
        Greenlet g = Wait.greenCaller("wait on ", owner);
        if (g != null) {
            Loop h = hub;
            if (h == null) {
                h = HUB.compareAndSet(this, null, g.loop) ? g.loop : hub;
            }
            if (h != g.loop) {
                throw new IllegalStateException(owner + " belongs to hub " + h.name()
                        + "; a green thread of hub " + g.loop.name() + " cannot wait on it (its waiters live on one hub's thread)");
            }
            if (waiters == null) {
                waiters = ChannelWaiters.register(h, channel);
            }
            boolean ready;
            try {
                ready = waiters.await(g, ops, timeoutNanos) != 0;
            } catch (AsynchronousCloseException e) {
                throw new ClosedWhileWaitingException(owner);
            }
            if (closed) {
                // A level-triggered poller may report the closed descriptor (POLLNVAL) before the
                // close task reaches the waiters: the waiter must still see a close, not a retry
                // that fails with ClosedChannelException.
                throw new ClosedWhileWaitingException(owner);
            }
            return ready;
        }
        return plainAwait(ops, timeoutNanos);
    }

    /**
     * The wait of {@code Eventlet.trampoline}: a green thread waits on a raw channel, through
     * the loop's trampoline waiters for it (released when nobody waits any more).
     *
     * @param timeoutNanos {@link Wait#FOREVER} or a clamped timeout
     * @param interest what is waited for, for the timeout's message
     */
    public static void trampoline(Greenlet g, SelectableChannel channel, int ops, long timeoutNanos, String interest) throws IOException {
        Loop loop = g.loop;
        ChannelWaiters w = loop.trampolineWaiters(channel);
        try {
            if (w.await(g, ops, timeoutNanos) == 0) {
                throw new SocketTimeoutException("timed out after " + timeoutNanos / 1_000_000 + " ms waiting for " + channel + " to be ready for " + interest);
            }
            if (!channel.isOpen()) {
                // Closed while waiting, and a poller reported the dead descriptor (POLLNVAL) before
                // notifyClose's task reached this loop: still a close, not readiness.
                throw new ClosedWhileWaitingException(channel);
            }
        } catch (AsynchronousCloseException e) {
            throw new ClosedWhileWaitingException(channel);
        } finally {
            loop.releaseTrampolineWaiters(channel, w);
        }
    }

    /**
     * A plain thread waits on a selector of its own (one per direction, so a plain reader and a
     * plain writer do not wait for each other); the channel stays non-blocking.
     */
    private boolean plainAwait(int ops, long timeoutNanos) throws IOException {
        boolean read = (ops & Poller.READ) != 0;
        Selector selector = plainSelector(read ? 0 : 1);
        int valid = channel.validOps();
        int interest = read
                ? valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)
                : valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        synchronized (plainLocks[read ? 0 : 1]) {
            // One plain thread per direction at a time, as for green threads.
            try {
                SelectionKey key = channel.keyFor(selector);
                if (key == null) {
                    key = channel.register(selector, interest);
                }
                long ms = timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                int n = selector.select(ms);
                selector.selectedKeys().clear();
                if (closed) {
                    throw new ClosedWhileWaitingException(owner);
                }
                // Without a timeout a zero return is a wake-up: the caller retries the operation.
                return n > 0 || timeoutNanos < 0;
            } catch (java.nio.channels.ClosedSelectorException e) {
                // close() closed the selector at any point from register to clearing the keys
                // (a reader aborted by a close from another thread): a close, as for green threads.
                throw new ClosedWhileWaitingException(owner);
            }
        }
    }

    private Selector plainSelector(int direction) throws IOException {
        synchronized (plainSelectors) {
            if (closed) {
                throw new ClosedWhileWaitingException(owner);
            }
            if (plainSelectors[direction] == null) {
                plainSelectors[direction] = Selector.open();
            }
            return plainSelectors[direction];
        }
    }

    /**
     * Wakes every waiter with {@link ClosedWhileWaitingException} and releases the registration;
     * the caller then closes the channel. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Loop h = hub;
        if (h != null) {
            if (h.isOwnContext()) {
                closeWaiters();
            } else {
                h.execute(this::closeWaiters);
            }
        }
        synchronized (plainSelectors) {
            for (Selector s : plainSelectors) {
                if (s != null) {
                    try {
                        s.close();   // wakes a plain thread blocked in select
                    } catch (IOException e) {
                        // nothing more to release
                    }
                }
            }
        }
    }

    private void closeWaiters() {
        if (waiters != null) {
            waiters.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the socket: wakes its waiters, then closes the channel — on the hub's own thread when
     * the caller is another thread and the hub runs.
     *
     * <p>Why not here: a channel's close holds the channel's monitor ({@code stateLock}). If a
     * green thread of the hub blocks on that monitor meanwhile, the JDK unmounts it, and when the
     * closer exits the monitor it may pick that green thread as the one successor to wake — which
     * needs the hub's thread to run it. If the hub's thread is at that moment itself blocked on
     * the same monitor (the selector's deregistration kills closed channels under it), nothing
     * ever runs again. Seen as a hung {@code HttpServer.close()} under load on the selector hub.
     * Closing on the hub's thread removes the third party.
     */
    public void closeChannel() throws IOException {
        close();
        Loop h = hub;
        if (h != null && !h.isOwnContext() && h.isRunning()) {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            h.execute(() -> {
                try {
                    channel.close();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            try {
                done.get(CLOSE_ON_HUB_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("closing " + owner + " failed: " + e.getCause(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                // The hub is stuck or gone: close from here after all.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.close();
    }

    private static final long CLOSE_ON_HUB_TIMEOUT_SECONDS = 2;

    /** Raised in a green or plain thread waiting on a socket that another thread closed. */
    public static final class ClosedWhileWaitingException extends AsynchronousCloseException {
        private static final long serialVersionUID = 1L;
        private final String socket;

        public ClosedWhileWaitingException(Object socket) {
            this.socket = String.valueOf(socket);
        }

        @Override
        public String getMessage() {
            return socket + " was closed while this thread waited on it";
        }
    }
}
