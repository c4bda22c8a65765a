package io.eventlet.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one wait recipe: how a green thread or a plain thread waits for a condition, with an
 * optional deadline, on one clock, with one clamp. Every green wait goes through here:
 * {@code join}, sleeps, the coordination primitives ({@link Waiter}), the socket waits
 * ({@link IoBinding}, {@link ChannelWaiters}), the accept loop and the thread pool; so do the
 * plain waits of {@code join} and the primitives. A plain thread's socket wait selects on a
 * private selector instead, and a plain sleep is {@code Thread.sleep}; both take their timeouts
 * from here.
 *
 * <ul>
 *   <li><b>Who waits.</b> {@link #greenCaller(String)} is the one place that tells a green caller
 *       from a plain one and refuses a loop's own thread (a timer callback), where nothing may
 *       block.</li>
 *   <li><b>A green thread</b> suspends through {@link Greenlet#parkOnce}, so a kill or a fired
 *       {@code Timeout} ends its wait with that exception; its deadline is one timer on its
 *       loop that unparks it, cancelled in {@code finally}.</li>
 *   <li><b>A plain thread</b> parks, with {@code parkNanos} for a deadline; an interrupt ends an
 *       {@link Plain#INTERRUPTIBLE} wait with {@link CancellationException} and the interrupt
 *       status kept, and is ignored by an {@link Plain#UNINTERRUPTIBLE} one.</li>
 *   <li><b>Time.</b> Timeouts are nanoseconds, {@link #FOREVER} for none, clamped by
 *       {@link #nanos(Duration)} to at most {@link #MAX_NANOS} (about 73 years), so deadline
 *       arithmetic never overflows. A deadline is read from the caller's clock ({@link #now()}):
 *       the loop's clock for a green thread or a timer callback, the system's otherwise.</li>
 * </ul>
 *
 * <p>Wake-ups may be spurious: the recipe loops until the condition holds or the deadline
 * passes, so a condition must be cheap and side-effect free.
 *
 * <p>Thread-safe: stateless.
 */
public final class Wait {
    /** The timeout of a wait without a bound. */
    public static final long FOREVER = -1;
    /** The longest timeout: deadlines up to {@code now + MAX_NANOS} compare by subtraction without overflow. */
    public static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private static final BooleanSupplier NEVER = () -> false;

    /** What a plain thread's interrupt does to its wait. */
    public enum Plain {
        /** Ends the wait with {@link CancellationException}; the interrupt status stays set. */
        INTERRUPTIBLE,
        /** Is ignored (and kept), like {@code CompletableFuture.join()}. */
        UNINTERRUPTIBLE
    }

    private Wait() {
    }

    // ---- time ----------------------------------------------------------------------------------

    /** {@code d} in nanoseconds, clamped to [0, {@link #MAX_NANOS}]: a negative duration is "now". */
    public static long nanos(Duration d) {
        long n;
        try {
            n = d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : MAX_NANOS;
        }
        return clamp(n);
    }

    /** {@link #nanos(Duration)}, with null meaning {@link #FOREVER}. */
    public static long timeoutNanos(Duration d) {
        return d == null ? FOREVER : nanos(d);
    }

    /**
     * {@link #timeoutNanos(Duration)} for a timeout a caller passes in, where negative is a
     * mistake: refused with "negative timeout ..." and {@code advice} after it.
     */
    public static long checkedTimeoutNanos(Duration d, String advice) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + d + advice);
        }
        return timeoutNanos(d);
    }

    /** {@code n} clamped to [0, {@link #MAX_NANOS}]. */
    public static long clamp(long n) {
        return n < 0 ? 0 : Math.min(n, MAX_NANOS);
    }

    /** The caller's clock now: its loop's for a green thread or a timer callback, else the system's. */
    public static long now() {
        Loop l = Loop.ofCaller();
        return l != null ? l.clock().nanoTime() : System.nanoTime();
    }

    /** The deadline of a wait of {@code timeoutNanos} that starts now, on {@link #now()}'s clock; {@link #FOREVER} stays so. */
    public static long deadline(long timeoutNanos) {
        return timeoutNanos < 0 ? FOREVER : now() + clamp(timeoutNanos);
    }

    /** What is left until {@code deadline} (from {@link #deadline}): {@link #FOREVER}, or at least 0. */
    public static long remaining(long deadline) {
        return deadline == FOREVER ? FOREVER : Math.max(0, deadline - now());
    }

    // ---- who waits -----------------------------------------------------------------------------

    /**
     * The green thread that calls, or null for a plain thread.
     *
     * @param what the blocking operation, for the error ("cannot {what} on the thread of hub ...")
     * @throws IllegalStateException on a loop's own thread (a timer callback), where nothing may block
     */
    public static Greenlet greenCaller(String what) {
        return greenCaller(what, null);
    }

    /**
     * {@link #greenCaller(String)} whose operation is {@code verb} followed by {@code subject}
     * ("wait for " and a semaphore): the text is made only when it is thrown, so a green caller
     * never runs the subject's {@code toString()}.
     */
    public static Greenlet greenCaller(String verb, Object subject) {
        Greenlet g = Greenlet.current();
        if (g == null) {
            Loop.checkNotLoopThread(verb, subject);
        }
        return g;
    }

    // ---- the wait ------------------------------------------------------------------------------

    /**
     * Waits until {@code done} holds or {@code timeoutNanos} pass.
     *
     * @param timeoutNanos {@link #FOREVER}: no bound; 0: only looks
     * @param blocker what the thread waits for (shown in thread dumps)
     * @param plain what an interrupt does when the caller is a plain thread
     * @param what the operation, for the error on a loop's own thread
     * @return whether {@code done} held; false only when the timeout passed first
     * @throws IllegalStateException on a loop's own thread
     * @throws CancellationException when a plain {@link Plain#INTERRUPTIBLE} wait is interrupted
     */
    public static boolean until(BooleanSupplier done, long timeoutNanos, Object blocker, Plain plain, String what) {
        return until(done, timeoutNanos, blocker, plain, what, null);
    }

    /**
     * {@link #until(BooleanSupplier, long, Object, Plain, String)} whose operation, for the error,
     * is {@code verb} followed by {@code subject} ({@code "wait for "} and a semaphore), made only
     * when it is thrown (see {@link #greenCaller(String, Object)}).
     */
    public static boolean until(BooleanSupplier done, long timeoutNanos, Object blocker, Plain plain, String verb, Object subject) {
        if (done.getAsBoolean()) {
            return true;
        }
        Greenlet g = greenCaller(verb, subject);
        if (timeoutNanos == 0) {
            return false;
        }
        return g != null ? untilGreen(g, done, timeoutNanos, blocker) : untilPlain(done, timeoutNanos, blocker, plain);
    }

    /**
     * {@link #until} for a caller known to be the green thread {@code g} (the current one): a
     * timeout of 0 only looks.
     */
    public static boolean untilGreen(Greenlet g, BooleanSupplier done, long timeoutNanos, Object blocker) {
        if (timeoutNanos == 0) {
            return done.getAsBoolean();
        }
        if (timeoutNanos < 0) {
            while (!done.getAsBoolean()) {
                g.parkOnce(blocker);
            }
            return true;
        }
        Thread self = g.thread;
        ScheduledCall timer = g.loop.scheduleOwn(clamp(timeoutNanos), () -> LockSupport.unpark(self));
        try {
            while (!done.getAsBoolean()) {
                if (timer.hasFired()) {
                    return done.getAsBoolean();
                }
                g.parkOnce(blocker);
            }
            return true;
        } finally {
            timer.cancel();
        }
    }

    private static boolean untilPlain(BooleanSupplier done, long timeoutNanos, Object blocker, Plain plain) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + clamp(timeoutNanos) : 0;
        boolean interrupted = false;
        try {
            while (!done.getAsBoolean()) {
                if (Thread.currentThread().isInterrupted()) {
                    if (plain == Plain.INTERRUPTIBLE) {
                        throw new CancellationException("interrupted while waiting for " + blocker);
                    }
                    // Kept for later, but cleared now: park returns at once while it is set, and
                    // the wait would spin at full speed.
                    interrupted = Thread.interrupted();
                }
                if (timeoutNanos < 0) {
                    LockSupport.park(blocker);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return done.getAsBoolean();
                    }
                    LockSupport.parkNanos(blocker, left);
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A green thread sleeps {@code nanos} on its loop's timers (a kill or timeout ends it early). */
    public static void sleep(Greenlet g, long nanos, Object blocker) {
        untilGreen(g, NEVER, clamp(nanos), blocker);
    }

    /**
     * Lets the other ready green threads, due timers and I/O of the caller's loop run once
     * (eventlet's {@code sleep(0)}); a plain caller yields its processor. Raises a pending kill
     * or timeout of a green caller.
     */
    public static void yieldNow() {
        Greenlet g = greenCaller("sleep");
        if (g == null) {
            Thread.yield();
            return;
        }
        g.checkPending();
        g.loop.yieldTurn(g);
    }
}
