package io.eventlet.internal;

import io.eventlet.GreenThreadExit;
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
 * The runtime's side of one green thread, as eventlet's greenlet is under its
 * {@code GreenThread}: the virtual thread, its state, the kill and the fired timeouts waiting to
 * be raised, the outcome, the joiners and links, and the links of its hub's registry. The public
 * {@link io.eventlet.GreenThread} is a typed handle on it ({@link #handle()}).
 *
 * <h2>Threading</h2>
 * State transitions, the registry links and the fired timeouts are written only by the hub's
 * thread (the green thread itself or a timer callback); the kill is posted from any thread
 * (volatile); the outcome, joiners and links are guarded by a private lock. The methods say which
 * thread may call them.
 */
public final class Greenlet {
    private static final Logger log = LoggerFactory.getLogger("io.eventlet.GreenThread");
    static final ScopedValue<Greenlet> CURRENT = ScopedValue.newInstance();
    private static final java.lang.invoke.VarHandle STATE;

    static {
        try {
            STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Greenlet.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int NEW = 0;        // spawnAfter: its start timer is pending
    private static final int QUEUED = 1;     // started, the body has not begun
    private static final int RUNNING = 2;
    private static final int DONE = 3;

    final Loop loop;
    private final Object task;               // Callable<?> or Runnable
    private final boolean observed;          // spawn (someone may join) vs spawnN (fire and forget)
    /**
     * Made for a {@code ThreadFactory} or an {@code ExecutorService}, whose users stop threads by
     * interrupting them: an interrupt ends an eventlet wait as a kill does, and an exception the
     * body ends with also goes to the thread's uncaught-exception handler, as a plain thread's does.
     */
    private final boolean jdkManaged;
    /** The public handle (an {@link io.eventlet.GreenThread}); set once by its constructor. */
    private Object handle;
    Thread thread;
    // Written only by the hub's thread, read by anyone: release stores and volatile loads
    // (a full volatile store per transition would cost a fence on every spawn).
    private volatile int state;
    private boolean bodyBegan;   // published by the release store of RUNNING or DONE
    private Object result;
    private Throwable failure;
    private volatile Throwable killPending;
    /** Fired timeouts not yet raised: a Throwable or an ArrayDeque of them. Only its hub's thread touches it. */
    private Object timeoutsPending;
    ScheduledCall startTimer;
    /** What a pool this thread runs for keeps on it (the pool itself); written by the thread itself. */
    private Object pool;
    /** Set by {@link #raise} around filling in the stack; only the green thread itself touches it. */
    private boolean raising;
    /**
     * True while this thread is suspended in its own suspend path ({@link #parkOnce}, which a
     * yield goes through too): a timeout that fires then is raised there. False while it waits in a
     * JDK call, where a timeout interrupts. Written by the green thread, read by its hub's thread
     * while the green thread is not mounted (they share one carrier), so a plain field.
     */
    boolean inGreenSuspend;
    /**
     * The timeout whose expiry interrupted this thread in a JDK call, not yet settled: at the next
     * blocking point it is raised if the interrupt status is still set (the call ignored it), and
     * forgotten otherwise (the interrupt ended the call: that was its delivery). Hub thread only.
     */
    private Throwable interruptedFor;
    /** {@link #interruptedFor} of a timeout its hub cancelled after it interrupted: clear, raise nothing. */
    private static final Throwable WITHDRAWN = new IllegalStateException("timeout withdrawn");

    // The hub's registry of live green threads (see Registry); written only on the hub's thread.
    // The blocking detector walks it from its own thread without synchronisation while the hub
    // is stuck in one green thread (so the list is not changing); a stale link there only costs a
    // missed stack. Plain fields on purpose: a volatile store per spawn would cost a fence.
    boolean registered;
    Greenlet prev;
    Greenlet next;

    private final Object lock = new Object();
    private List<Consumer<Object>> links;    // guarded by lock
    private boolean linksResolved;           // guarded by lock
    private List<Thread> joiners;            // guarded by lock

    /**
     * A green thread of {@code loop} that will run {@code task} (a {@link Callable} or a
     * {@link Runnable}); {@link Loop#start} or {@link Loop#startAfter} starts it.
     */
    public Greenlet(Loop loop, Object task, boolean observed) {
        this(loop, task, observed, false);
    }

    private Greenlet(Loop loop, Object task, boolean observed, boolean jdkManaged) {
        if (!(task instanceof Callable<?>) && !(task instanceof Runnable)) {
            throw new IllegalArgumentException("a green thread runs a Callable or a Runnable, not " + task);
        }
        this.loop = loop;
        this.task = task;
        this.observed = observed;
        this.jdkManaged = jdkManaged;
    }

    /**
     * A green thread of {@code loop} that runs {@code task} as a thread of a
     * {@code ThreadFactory} does: an interrupt ends its eventlet waits with
     * {@link GreenThreadExit} (how a {@code StructuredTaskScope} or an executor cancels it), and
     * an exception it ends with (other than a kill) goes on to the thread's uncaught-exception
     * handler, besides being its outcome for {@link #join()}. {@link Loop#unstarted} makes its thread.
     *
     * @param loop the loop it runs on
     * @param task its body
     * @return the greenlet, without a thread yet
     */
    public static Greenlet forThread(Loop loop, Runnable task) {
        return new Greenlet(loop, task, true, true);
    }

    /**
     * A body that must hear when it will never run (killed, or its hub closed, before it started):
     * a green pool frees its slot this way without the cost of a link.
     */
    public interface NeverStarted {
        void neverStarted();
    }

    /**
     * The green thread the caller runs in, or null when the caller is not a green thread. A
     * thread that inherited the binding without being that green thread (a
     * {@code StructuredTaskScope} subtask forked in it) is not one: the bound greenlet counts only
     * when its thread is the caller.
     */
    public static Greenlet current() {
        if (!CURRENT.isBound()) {
            return null;
        }
        Greenlet g = CURRENT.get();
        return g.thread == Thread.currentThread() ? g : null;
    }

    /** Sets the public handle; once, by the handle's constructor, before the thread can run. */
    public void setHandle(Object h) {
        if (handle != null) {
            throw new IllegalStateException("a green thread has one handle");
        }
        handle = h;
    }

    /** The public handle set by {@link #setHandle}. */
    public Object handle() {
        return handle;
    }

    public Loop loop() {
        return loop;
    }

    /** The underlying virtual thread; null only before {@link Loop#start}. */
    public Thread thread() {
        return thread;
    }

    public Object pool() {
        return pool;
    }

    /** By the green thread itself: records the pool it now runs for (null when it leaves). */
    public void setPool(Object p) {
        pool = p;
    }

    public boolean isDone() {
        return state == DONE;
    }

    public boolean isStarted() {
        int s = state;
        return s == RUNNING || (s == DONE && bodyBegan);
    }

    /**
     * Runs {@code body} here, in the calling green thread, and returns a finished greenlet that
     * holds its outcome (what a full green pool does when one of its own members spawns: waiting
     * for a slot only the caller can free would deadlock). A kill or timeout aimed at the caller
     * ({@link #isRaisedControl}) is rethrown, not kept.
     */
    public static Greenlet runInline(Greenlet caller, Callable<?> body) {
        Greenlet g = new Greenlet(caller.loop, body, true);
        g.thread = caller.thread;
        g.bodyBegan = true;
        Object r = null;
        Throwable f = null;
        try {
            r = body.call();
        } catch (Throwable t) {
            if (isRaisedControl(t)) {
                throw sneakyThrow(t);
            }
            f = t;
        }
        g.complete(r, f);
        return g;
    }

    /**
     * Waits for the end and returns the result, or rethrows the failure as {@link #rethrown}
     * does. A green caller suspends (a kill or timeout ends the wait); a plain caller blocks,
     * uninterruptibly, like {@code CompletableFuture.join()}.
     */
    public Object join() {
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
     * How a body's exception is rethrown to whoever waits for it (join, an event, a pile):
     * unchecked ones as they are, a checked one in {@link CompletionException}.
     */
    public static RuntimeException rethrown(Throwable f) {
        if (f instanceof RuntimeException r) {
            return r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return new CompletionException(f);
    }

    /** Throws any throwable without declaring it: join() and the suspend path rethrow as eventlet does. */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    private void awaitDone() {
        Greenlet me = current();
        if (me == this) {
            throw new IllegalStateException("a green thread cannot join itself: it would wait forever");
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
            Wait.until(this::isDone, Wait.FOREVER, this, Wait.Plain.UNINTERRUPTIBLE, "join a green thread");
        } finally {
            if (state != DONE) {
                synchronized (lock) {
                    joiners.remove(self);
                }
            }
        }
    }

    /**
     * Raises {@code exception} in this thread at its blocking point. Killing a thread that has
     * not started means its body never runs; killing a finished thread does nothing; a green
     * thread killing itself throws at once. From a green thread of the same hub it yields to the
     * victim before returning.
     */
    public void kill(Throwable exception) {
        if (exception == null) {
            throw new NullPointerException("exception");
        }
        if (state == DONE) {
            return;
        }
        Greenlet me = current();
        if (me == this) {
            raise(exception);
        }
        if (loop.isOwnContext() && finishUnstarted(exception)) {
            return;
        }
        killPending = exception;
        Thread t = thread;
        if (state >= QUEUED && t != null) {
            t.interrupt();
            LockSupport.unpark(t);
        } else if (state == NEW) {
            // A spawnAfter thread owned by another hub: let its hub cancel the start.
            loop.execute(() -> {
                if (finishUnstarted(exception)) {
                    killPending = null;
                }
            });
        }
        if (me != null && me.loop == loop) {
            Wait.yieldNow();
        }
    }

    /** Kills this thread only if it has not started its body; returns whether it did. */
    public boolean cancel(java.util.function.Supplier<? extends Throwable> exception) {
        if (state >= RUNNING) {
            return false;
        }
        kill(exception.get());
        return true;
    }

    /**
     * Calls {@code callback} with the handle when this thread ends, in the ending green thread,
     * after joiners are released; at once in the caller if it has ended. A link that throws is
     * logged and the others still run.
     */
    public void link(Consumer<Object> callback) {
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
    public boolean unlink(Object callback) {
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

    /** "scheduled", "queued", "running", "done" or "failed". */
    public String stateName() {
        return switch (state) {
            case NEW -> "scheduled";
            case QUEUED -> "queued";
            case RUNNING -> "running";
            default -> failure == null ? "done" : "failed";
        };
    }

    @Override
    public String toString() {
        return String.valueOf(handle);
    }

    // ---- lifecycle, called by the hub ------------------------------------------------------

    /** The virtual thread's body. */
    void body() {
        loop.registry.register(this);
        try {
            ScopedValue.where(CURRENT, this).run(this::runTask);
        } finally {
            loop.registry.unregister(this);
        }
        if (jdkManaged) {
            Throwable f = failure;
            if (f != null && !(f instanceof GreenThreadExit)) {
                // Out of the virtual thread's run: the JDK hands it to the uncaught-exception handler.
                throw sneakyThrow(f);
            }
        }
    }

    private void runTask() {
        Object r = null;
        Throwable f = null;
        if (killPending != null || loop.closing) {
            f = killPending != null ? takeKill() : new GreenThreadExit("hub " + loop.name() + " closed before this green thread started");
            if (task instanceof NeverStarted n) {
                n.neverStarted();
            }
        } else {
            bodyBegan = true;
            setState(RUNNING);
            try {
                if (task instanceof Callable<?> c) {
                    r = c.call();
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
    private void complete(Object r, Throwable f) {
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
            Consumer<Object> next;
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

    private void runLink(Consumer<Object> callback) {
        try {
            callback.accept(handle);
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
        loop.registry.unregister(this);
        complete(null, exception);
        return true;
    }

    private void setState(int s) {
        STATE.setRelease(this, s);
    }

    // ---- the suspend path (docs/design.md, "One suspend path") -------------------------------

    /**
     * One suspension of this (the current) green thread. Callers loop on their own condition,
     * since wake-ups may be spurious, and clean up their registrations in {@code finally}; most
     * go through {@link Wait}. Raises a pending kill or timeout, before and after parking.
     */
    void parkOnce(Object blocker) {
        checkPending();
        inGreenSuspend = true;
        LockSupport.park(blocker);
        inGreenSuspend = false;
        checkPending();
    }

    /** Raises the pending kill or fired timeout, if any. Only the green thread itself calls this. */
    void checkPending() {
        if (killPending != null) {
            raise(takeKill());
        }
        Throwable interrupting = interruptedFor;
        if (interrupting != null) {
            interruptedFor = null;
            if (Thread.interrupted() && interrupting != WITHDRAWN) {
                raise(interrupting);   // the JDK call went on blocking: the timeout is raised here
            }
        }
        if (timeoutsPending != null) {
            raise(popTimeout());
        }
        if (loop.closing) {
            raise(new GreenThreadExit("hub " + loop.name() + " is closing"));
        }
        // A stale interrupt (kill interrupts; a kill raised elsewhere may leave it) would make
        // every later park return at once: interruption of green threads belongs to kill. A
        // thread made for the JDK's interfaces is cancelled by interrupting it: that is its kill.
        if (thread.isInterrupted()) {
            Thread.interrupted();
            if (jdkManaged) {
                raise(new GreenThreadExit("interrupted in an eventlet wait"));
            }
        }
    }

    private Throwable takeKill() {
        Throwable k = killPending;
        killPending = null;
        Thread.interrupted();
        return k;
    }

    /**
     * Throws {@code t} here, with the stack of this blocking point: a kill or a timeout is made
     * long before it is raised, and where the victim was is what its reader wants. The two
     * exceptions the API makes for raising, {@link GreenThreadExit} and {@link io.eventlet.Timeout},
     * fill in no stack when made, so this is their only one; other exceptions keep their own.
     */
    private void raise(Throwable t) {
        if (isRaisedControl(t)) {
            raising = true;   // their fillInStackTrace asks raisingHere(): fill in now, here
            try {
                t.fillInStackTrace();
            } finally {
                raising = false;
            }
        }
        sneakyThrow(t);
    }

    /**
     * The API's two exceptions that the runtime raises at blocking points: a kill
     * ({@link GreenThreadExit}) and a {@link io.eventlet.Timeout}. The one place that names them.
     */
    private static boolean isRaisedControl(Throwable t) {
        return t instanceof GreenThreadExit || t instanceof io.eventlet.Timeout;
    }

    /**
     * True while the current green thread raises a kill or a timeout: the moment their
     * {@code fillInStackTrace()} records a stack (lazily, as any throwable does), and the only one.
     */
    public static boolean raisingHere() {
        Greenlet g = current();
        return g != null && g.raising;
    }

    /**
     * A timeout of this thread fired (hub thread; the green thread is not mounted). When the
     * thread waits in a JDK call rather than in its own suspend path, and its interrupt status is
     * clear, the timeout interrupts it, as a kill does, and that interrupt is its delivery (see
     * {@link #interruptedFor}). Otherwise {@code t} is raised at its current or next blocking point:
     * an interrupt still set means an earlier one has not been settled, and a second would add nothing.
     *
     * @param t what the timeout raises (the timeout itself, or its custom exception)
     */
    public void expireTimeout(Throwable t) {
        Thread th = thread;
        if (!inGreenSuspend && state == RUNNING && !th.isInterrupted()) {
            // An earlier interrupt whose status is now clear ended its call: it was delivered.
            interruptedFor = t;
            th.interrupt();
            return;
        }
        postTimeout(t);
    }

    /**
     * A timeout of this thread is closed or cancelled by the thread itself (or its hub): it will
     * not be raised, and an interrupt it caused that is still set is cleared, unless a kill
     * (which also interrupts) is pending.
     *
     * @param t what the timeout raises, as given to {@link #expireTimeout}
     */
    public void withdrawTimeout(Throwable t) {
        if (interruptedFor == t) {
            if (current() == this) {
                interruptedFor = null;
                if (killPending == null) {
                    Thread.interrupted();
                }
            } else {
                // Cancelled by its hub: only the thread itself may clear its interrupt status,
                // which it does, raising nothing, at its next blocking point.
                interruptedFor = WITHDRAWN;
            }
        }
        withdrawPosted(t);
    }

    /** A timeout of this thread fired: raise {@code t} at its current or next blocking point. Hub thread. */
    private void postTimeout(Throwable t) {
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
    private void withdrawPosted(Throwable t) {
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
        if (state == NEW && finishUnstarted(new GreenThreadExit("hub " + loop.name() + " closed before this green thread started"))) {
            return;
        }
        Thread t = thread;
        if (t != null && state != DONE) {
            if (killPending == null) {
                killPending = new GreenThreadExit("hub " + loop.name() + " closed");
            }
            t.interrupt();
            LockSupport.unpark(t);
        }
    }
}
