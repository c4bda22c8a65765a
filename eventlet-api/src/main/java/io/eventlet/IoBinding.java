package io.eventlet;

import io.eventlet.spi.Poller;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Ties one green socket's channel to the hub whose green threads use it, and waits for readiness
 * on its behalf: through the hub's poller for green threads, through a private selector for plain
 * threads. The hub is the one of the first green thread that waits; a green thread of another hub
 * gets {@link IllegalStateException} (a socket's waiters live on one hub's thread).
 *
 * <p>Thread-safe: {@link #await} from the socket's green threads or plain threads, {@link #close}
 * from any thread.
 */
final class IoBinding {
    private static final VarHandle HUB;

    static {
        try {
            HUB = MethodHandles.lookup().findVarHandle(IoBinding.class, "hub", Hub.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SelectableChannel channel;
    private final Object owner;
    private volatile Hub hub;
    private ChannelWaiters waiters;       // only the hub's thread touches it
    private final Selector[] plainSelectors = new Selector[2];   // read, write; guarded by itself
    private final Object[] plainLocks = {new Object(), new Object()};
    private volatile boolean closed;
    /** The socket's timeout: -1 none, 0 non-blocking, else nanoseconds per operation. */
    private volatile long timeoutNanos = -1;

    IoBinding(SelectableChannel channel, Object owner) {
        this.channel = channel;
        this.owner = owner;
    }

    // ---- the socket's timeout (eventlet's settimeout) ------------------------------------------

    /** null: none; zero: non-blocking; positive: {@link SocketTimeoutException} per operation. */
    void setTimeout(Duration timeout) {
        timeoutNanos = toTimeoutNanos(timeout);
    }

    Duration timeout() {
        long t = timeoutNanos;
        return t < 0 ? null : Duration.ofNanos(t);
    }

    boolean nonBlocking() {
        return timeoutNanos == 0;
    }

    /** The deadline of an operation that starts now: -1 when it has none. */
    long deadline() {
        long t = timeoutNanos;
        return t > 0 ? System.nanoTime() + t : -1;
    }

    /**
     * The wait of one operation that would block: until {@code op} is ready or {@code deadline}
     * (from {@link #deadline()}) passes.
     *
     * @throws SocketTimeoutException naming the operation and the socket when the deadline passes
     */
    void awaitOp(int op, long deadline, String what) throws IOException {
        awaitOp(op, deadline, timeoutNanos, what);
    }

    /** {@link #awaitOp(int, long, String)} for an operation with a timeout of its own (connect). */
    void awaitOp(int op, long deadline, long timeoutNanos, String what) throws IOException {
        long left = deadline < 0 ? -1 : deadline - System.nanoTime();
        if ((deadline >= 0 && left <= 0) || !await(op, left)) {
            throw new SocketTimeoutException(what + " on " + owner + " timed out after " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    static long toTimeoutNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout + ": use null for none, zero for non-blocking");
        }
        return Math.min(Timeout.saturatedNanos(timeout), Long.MAX_VALUE / 4);
    }

    /** The local address for a {@code toString}, or "closed". */
    static String describe(NetworkChannel channel) {
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
    void noteReadDrained() {
        Hub h = hub;
        if (h != null && h.isOwnContext() && waiters != null) {
            waiters.noteReadDrained();
        }
    }

    /**
     * True when the calling green thread's read would almost surely block: the last read drained
     * the receive queue and the poller has reported nothing since. Always false on a plain thread,
     * a green thread of another hub, or a non-blocking socket.
     */
    boolean readDrained() {
        Hub h = hub;
        return h != null && timeoutNanos != 0 && h.isOwnContext() && waiters != null && waiters.readDrained();
    }

    /**
     * For {@link GreenSocket#awaitReadable}: true when a green thread of this socket's hub (or of
     * any hub, for a socket no green thread has waited on yet) should wait before reading. With
     * a drained-read hint it should; a socket that never waited has no hint, and finding out by
     * waiting binds it to the caller's hub exactly as its first blocking read would. False on a
     * plain thread, a green thread of another hub (its read will say why), or a non-blocking
     * socket.
     */
    boolean readMayBlock() {
        GreenThread<?> g = GreenThread.current();
        if (g == null || timeoutNanos == 0 || closed) {
            return false;
        }
        Hub h = hub;
        if (h == null || waiters == null) {
            return h == null || h == g.hub;
        }
        return h == g.hub && waiters.readDrained();
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
    boolean await(int ops, long timeoutNanos) throws IOException {
        if (closed) {
            throw new ClosedWhileWaitingException(owner);
        }
        GreenThread<?> g = GreenThread.current();
        if (g != null) {
            Hub h = hub;
            if (h == null) {
                h = HUB.compareAndSet(this, null, g.hub) ? g.hub : hub;
            }
            if (h != g.hub) {
                throw new IllegalStateException(owner + " belongs to hub " + h.name()
                        + "; a green thread of hub " + g.hub.name() + " cannot wait on it (its waiters live on one hub's thread)");
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
        Hub.checkNotHubThread("wait on " + owner);
        return plainAwait(ops, timeoutNanos);
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
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        Hub h = hub;
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

    boolean isClosed() {
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
    void closeChannel() throws IOException {
        close();
        Hub h = hub;
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
    static final class ClosedWhileWaitingException extends AsynchronousCloseException {
        private static final long serialVersionUID = 1L;
        private final String socket;

        ClosedWhileWaitingException(Object socket) {
            this.socket = String.valueOf(socket);
        }

        @Override
        public String getMessage() {
            return socket + " was closed while this thread waited on it";
        }
    }
}
