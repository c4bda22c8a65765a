package io.eventlet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A green thread: a virtual thread scheduled by its {@link Hub}, with eventlet's
 * {@code GreenThread} semantics. Made by {@link Eventlet#spawn}, {@link Eventlet#spawnAfter} or
 * {@link Hub#spawn}; it starts only when its spawner yields.
 *
 * {@snippet :
 * GreenThread<Integer> g = Eventlet.spawn(() -> 6 * 7);
 * g.link(done -> System.out.println("finished"));
 * int answer = g.join();            // 42; an exception of the body is rethrown here
 * }
 *
 * <h2>Threading</h2>
 * All methods are thread-safe. {@link #join()} suspends a green caller (any hub) and blocks a
 * plain caller. {@link #kill()} from a green thread on the same hub yields to the victim, so the
 * victim's {@code catch} and {@code finally} blocks have run up to their next blocking point when
 * it returns; from another hub or a plain thread it returns once the exception is posted (use
 * {@link #join()} to wait for the end).
 *
 * @param <T> the result type
 */
public final class GreenThread<T> {
    private static final Logger log = LoggerFactory.getLogger(GreenThread.class);
    static final ScopedValue<GreenThread<?>> CURRENT = ScopedValue.newInstance();
    private static final java.lang.invoke.VarHandle STATE;

    static {
        try {
            STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(GreenThread.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int NEW = 0;        // spawnAfter: its start timer is pending
    private static final int QUEUED = 1;     // started, the body has not begun
    private static final int RUNNING = 2;
    private static final int DONE = 3;

    final Hub hub;
    private final Object task;               // Callable<T> or Runnable
    private final boolean observed;          // spawn (someone may join) vs spawnN (fire and forget)
    Thread thread;
    // Written only by the hub's thread, read by anyone: release stores and volatile loads
    // (a full volatile store per transition would cost a fence on every spawn).
    private volatile int state;
    private boolean bodyBegan;   // published by the release store of RUNNING or DONE
    /** Whether the hub's registry holds this thread; only the hub's thread touches it. */
    boolean registered;
    private T result;
    private Throwable failure;
    private volatile Throwable killPending;
    /** Fired timeouts not yet raised: a Throwable or an ArrayDeque of them. Only its hub's thread touches it. */
    private Object timeoutsPending;
    Timer startTimer;
    /** The {@link GreenPool} this thread runs for, if any; written by the thread itself. */
    GreenPool pool;

    // The hub's registry of live green threads; written only on the hub's thread. The blocking
    // detector walks it from its own thread without synchronisation while the hub is stuck in one
    // green thread (so the list is not changing); a stale link there only costs a missed stack.
    GreenThread<?> prev;
    GreenThread<?> next;

    private final Object lock = new Object();
    private List<Consumer<? super GreenThread<T>>> links;   // guarded by lock
    private boolean linksResolved;                           // guarded by lock
    private List<Thread> joiners;                            // guarded by lock

    GreenThread(Hub hub, Object task, boolean observed) {
        this.hub = hub;
        this.task = task;
        this.observed = observed;
    }

    /**
     * A body that must hear when it will never run (killed, or its hub closed, before it started):
     * {@link GreenPool#spawnN} frees its slot this way without the cost of a link.
     */
    interface NeverStarted {
        void neverStarted();
    }

    /**
     * Runs {@code body} here, in the calling green thread, and returns a finished green thread
     * that holds its outcome: what a full {@link GreenPool} does when one of its own members
     * spawns (waiting for a slot that only the caller can free would deadlock).
     */
    static <T> GreenThread<T> runInline(GreenThread<?> caller, Callable<T> body) {
        GreenThread<T> g = new GreenThread<>(caller.hub, body, true);
        g.thread = caller.thread;
        g.bodyBegan = true;
        T r = null;
        Throwable f = null;
        try {
            r = body.call();
        } catch (Throwable t) {
            if (t instanceof GreenThreadExit || t instanceof Timeout) {
                throw Eventlet.sneakyThrow(t);   // aimed at the caller, not at the inline body
            }
            f = t;
        }
        g.complete(r, f);
        return g;
    }

    /** The green thread the caller runs in, or null when the caller is not a green thread. */
    public static GreenThread<?> current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** The hub this green thread runs on. */
    public Hub hub() {
        return hub;
    }

    /** True once the body has returned or thrown (or the thread was killed before it started). */
    public boolean isDone() {
        return state == DONE;
    }

    /** True once the body has begun (eventlet: the greenlet is "started"). */
    public boolean isStarted() {
        int s = state;
        return s == RUNNING || (s == DONE && bodyBegan);
    }

    /**
     * Waits for the end and returns the result. An unchecked exception or error of the body is
     * rethrown as it is; a checked exception is rethrown wrapped in {@link CompletionException}.
     * A thread killed before it started throws {@link GreenThreadExit}.
     *
     * @throws IllegalStateException when a green thread joins itself, or when called from a
     *     hub's own thread (a timer callback)
     */
    public T join() {
        if (state != DONE) {
            awaitDone();
        }
        Throwable f = failure;
        if (f == null) {
            return result;
        }
        throw rethrown(f);
    }

    /**
     * How a body's exception is rethrown to whoever waits for it ({@link #join()}, {@link Event},
     * {@link GreenPile}): unchecked ones as they are, a checked one in {@link CompletionException}.
     */
    static RuntimeException rethrown(Throwable f) {
        if (f instanceof RuntimeException r) {
            return r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return new CompletionException(f);
    }

    private void awaitDone() {
        GreenThread<?> me = current();
        if (me == this) {
            throw new IllegalStateException("a green thread cannot join itself: it would wait forever");
        }
        if (me == null) {
            Hub.checkNotHubThread("join a green thread");
        }
        Thread self = Thread.currentThread();
        synchronized (lock) {
            if (state == DONE) {
                return;
            }
            if (joiners == null) {
                joiners = new ArrayList<>(2);
            }
            joiners.add(self);
        }
        try {
            while (state != DONE) {
                if (me != null) {
                    me.parkOnce(this);
                } else {
                    // A plain thread: uninterruptible, like CompletableFuture.join().
                    LockSupport.park(this);
                }
            }
        } finally {
            if (state != DONE) {
                synchronized (lock) {
                    joiners.remove(self);
                }
            }
        }
    }

    /**
     * Raises {@link GreenThreadExit} in this thread at its blocking point (see the class comment
     * for when this returns). Killing a thread that has not started means its body never runs;
     * killing a finished thread does nothing. A green thread killing itself throws at once.
     */
    public void kill() {
        kill(new GreenThreadExit());
    }

    /**
     * Like {@link #kill()} but raises {@code exception} instead (eventlet's
     * {@code kill(g, *throw_args)}).
     */
    public void kill(Throwable exception) {
        if (exception == null) {
            throw new NullPointerException("exception");
        }
        if (state == DONE) {
            return;
        }
        GreenThread<?> me = current();
        if (me == this) {
            raise(exception);
        }
        if (hub.isOwnContext() && finishUnstarted(exception)) {
            return;
        }
        killPending = exception;
        Thread t = thread;
        if (state >= QUEUED && t != null) {
            t.interrupt();
            LockSupport.unpark(t);
        } else if (state == NEW) {
            // A spawnAfter thread owned by another hub: let its hub cancel the start.
            hub.execute(() -> {
                if (finishUnstarted(exception)) {
                    killPending = null;
                }
            });
        }
        if (me != null && me.hub == hub) {
            Eventlet.sleep();
        }
    }

    /**
     * Kills this thread only if it has not started its body; returns whether it did (eventlet's
     * {@code GreenThread.cancel}).
     */
    public boolean cancel() {
        if (state >= RUNNING) {
            return false;
        }
        kill();
        return true;
    }

    /**
     * Calls {@code callback} with this thread when it ends, in the ending green thread, after
     * {@link #join()} waiters are released. If it has already ended, calls it at once in the
     * caller. A link that throws is logged and the others still run.
     */
    public void link(Consumer<? super GreenThread<T>> callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        synchronized (lock) {
            if (!linksResolved) {
                if (links == null) {
                    links = new ArrayList<>(2);
                }
                links.add(callback);
                return;
            }
        }
        runLink(callback);
    }

    /** Removes a link added with {@link #link}; true if it was there (compared by identity). */
    public boolean unlink(Consumer<? super GreenThread<T>> callback) {
        synchronized (lock) {
            if (links == null) {
                return false;
            }
            for (int i = 0; i < links.size(); i++) {
                if (links.get(i) == callback) {
                    links.remove(i);
                    return true;
                }
            }
            return false;
        }
    }

    /** The underlying virtual thread (for thread dumps and debugging). */
    public Thread thread() {
        return thread;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case NEW -> "scheduled";
            case QUEUED -> "queued";
            case RUNNING -> "running";
            default -> failure == null ? "done" : "failed";
        };
        return "GreenThread[" + (thread == null ? "?" : "#" + thread.threadId()) + ", " + s + ", " + hub.name() + "]";
    }

    // ---- lifecycle, called by the hub ------------------------------------------------------

    /** The virtual thread's body. */
    void body() {
        hub.register(this);
        try {
            ScopedValue.where(CURRENT, this).run(this::runTask);
        } finally {
            hub.unregister(this);
        }
    }

    @SuppressWarnings("unchecked")
    private void runTask() {
        T r = null;
        Throwable f = null;
        if (killPending != null || hub.closing) {
            f = killPending != null ? takeKill() : new GreenThreadExit("hub " + hub.name() + " closed before this green thread started");
            if (task instanceof NeverStarted n) {
                n.neverStarted();
            }
        } else {
            bodyBegan = true;
            setState(RUNNING);
            try {
                if (task instanceof Callable<?> c) {
                    r = (T) c.call();
                } else {
                    ((Runnable) task).run();
                }
            } catch (Throwable t) {
                f = t;
            }
            Throwable k = killPending;
            if (k != null) {
                killPending = null;
                if (f != null && f != k) {
                    // The kill ended the body without passing through a green suspend (a JDK call
                    // threw InterruptedException, say): report the kill, keep what it caused.
                    k.addSuppressed(f);
                    f = k;
                }
                // Otherwise the body returned before the kill could be raised: it came too late.
            }
            Thread.interrupted();
        }
        if (f != null && !(f instanceof GreenThreadExit)) {
            if (observed) {
                log.debug("green thread {} ended with an exception (rethrown by join)", this, f);
            } else {
                log.warn("green thread {} failed", this, f);
            }
        }
        complete(r, f);
    }

    /** Records the outcome, releases joiners, then runs links (including links added by links). */
    void complete(T r, Throwable f) {
        List<Thread> toWake;
        boolean noLinks;
        synchronized (lock) {
            result = r;
            failure = f;
            setState(DONE);
            toWake = joiners;
            joiners = null;
            noLinks = links == null;
            if (noLinks) {
                linksResolved = true;   // the common case: one monitor round trip per thread
            }
        }
        if (toWake != null) {
            for (Thread t : toWake) {
                LockSupport.unpark(t);
            }
        }
        if (noLinks) {
            return;
        }
        while (true) {
            Consumer<? super GreenThread<T>> next;
            synchronized (lock) {
                if (links == null || links.isEmpty()) {
                    linksResolved = true;
                    links = null;
                    return;
                }
                next = links.remove(0);
            }
            runLink(next);
        }
    }

    private void runLink(Consumer<? super GreenThread<T>> callback) {
        try {
            callback.accept(this);
        } catch (GreenThreadExit e) {
            throw e;
        } catch (Throwable t) {
            log.warn("link {} of {} threw", callback, this, t);
        }
    }

    /** The virtual thread is started (spawn) or its start timer fired (spawnAfter). */
    void markQueued() {
        setState(QUEUED);
    }

    /**
     * A spawnAfter thread whose start timer has not fired: cancels the start and finishes the
     * thread with {@code exception}, as if its body had raised it at once. Hub thread only.
     *
     * @return false when the thread was not waiting for its start any more
     */
    private boolean finishUnstarted(Throwable exception) {
        if (state != NEW || startTimer == null || !startTimer.cancel()) {
            return false;
        }
        hub.unregister(this);
        complete(null, exception);
        return true;
    }

    private void setState(int s) {
        STATE.setRelease(this, s);
    }

    // ---- the suspend path (ARCHITECTURE.md §2b) ---------------------------------------------

    /**
     * One suspension of this (the current) green thread. Callers loop on their own condition,
     * since wake-ups may be spurious, and clean up their registrations in {@code finally}. Raises
     * a pending kill or timeout, before and after parking.
     */
    void parkOnce(Object blocker) {
        checkPending();
        LockSupport.park(blocker);
        checkPending();
    }

    /** Raises the pending kill or fired timeout, if any. Only the green thread itself calls this. */
    void checkPending() {
        if (killPending != null) {
            raise(takeKill());
        }
        if (timeoutsPending != null) {
            raise(popTimeout());
        }
        if (hub.closing) {
            raise(new GreenThreadExit("hub " + hub.name() + " is closing"));
        }
        // A stale interrupt (kill interrupts; a kill raised elsewhere may leave it) would make
        // every later park return at once: interruption of green threads belongs to kill.
        if (thread.isInterrupted()) {
            Thread.interrupted();
        }
    }

    private Throwable takeKill() {
        Throwable k = killPending;
        killPending = null;
        Thread.interrupted();
        return k;
    }

    private static void raise(Throwable t) {
        if (t instanceof GreenThreadExit e) {
            e.markRaised();
        } else if (t instanceof Timeout to) {
            to.markRaised();
        }
        Eventlet.sneakyThrow(t);
    }

    /** A timeout of this thread fired: raise {@code t} at its current or next blocking point. Hub thread. */
    void postTimeout(Throwable t) {
        Object p = timeoutsPending;
        if (p == null) {
            timeoutsPending = t;
        } else if (p instanceof ArrayDeque<?> q) {
            @SuppressWarnings("unchecked") ArrayDeque<Throwable> d = (ArrayDeque<Throwable>) q;
            d.addLast(t);
        } else {
            ArrayDeque<Throwable> d = new ArrayDeque<>(4);
            d.add((Throwable) p);
            d.add(t);
            timeoutsPending = d;
        }
        LockSupport.unpark(thread);
    }

    /** Forgets a fired timeout that was not raised yet (its scope ended first). Hub thread. */
    void withdrawTimeout(Throwable t) {
        Object p = timeoutsPending;
        if (p == t) {
            timeoutsPending = null;
        } else if (p instanceof ArrayDeque<?> q) {
            q.remove(t);
            if (q.isEmpty()) {
                timeoutsPending = null;
            }
        }
    }

    private Throwable popTimeout() {
        Object p = timeoutsPending;
        if (p instanceof ArrayDeque<?> q) {
            Throwable t = (Throwable) q.pollFirst();
            if (q.isEmpty()) {
                timeoutsPending = null;
            }
            return t;
        }
        timeoutsPending = null;
        return (Throwable) p;
    }

    /** Kill on hub close; the hub's thread calls this for every live green thread. */
    void killForClose() {
        if (state == NEW && finishUnstarted(new GreenThreadExit("hub " + hub.name() + " closed before this green thread started"))) {
            return;
        }
        Thread t = thread;
        if (t != null && state != DONE) {
            if (killPending == null) {
                killPending = new GreenThreadExit("hub " + hub.name() + " closed");
            }
            t.interrupt();
            LockSupport.unpark(t);
        }
    }
}
