package io.eventlet.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread waiting in a coordination primitive (an event, the semaphores, the queues, a
 * resource pool), and the wait path they all share. The primitive keeps its waiters in a
 * {@link WaitList} and grants them under that list's lock; the waiter parks until granted.
 *
 * <p>A green thread suspends through {@link Wait} ({@link Greenlet#parkOnce}), so a kill or a {@code Timeout}
 * ends its wait with an exception; a plain thread parks, and an interrupt ends its wait with
 * {@link CancellationException} (its interrupt flag stays set). Either way the grant may have raced
 * the end of the wait; {@link #awaitIn} settles that under the primitive's lock and gives back what
 * was granted: an abandoned wait never consumes anything.
 *
 * <p>Waking is {@link LockSupport#unpark}: for a green thread of any hub that queues it on its own
 * hub (a cross-thread hand-off when the hub is another), and never switches away from the waker.
 */
public final class Waiter implements java.util.function.BooleanSupplier {
    final Thread thread = Thread.currentThread();
    /** Set under the primitive's lock before {@link #granted} is; read by the waiter after. */
    public Object item;
    private volatile boolean granted;
    // The WaitList links, guarded by the list's lock.
    Waiter prev;
    Waiter next;
    boolean linked;

    public Waiter() {
    }

    public Waiter(Object item) {
        this.item = item;
    }

    /** Under the primitive's lock: hands {@code item} over; call {@link #wake()} after. */
    public void grant(Object handed) {
        item = handed;
        granted = true;
    }

    public void wake() {
        LockSupport.unpark(thread);
    }

    /**
     * Waits until granted or until {@code timeoutNanos} pass.
     *
     * @param timeoutNanos negative: no bound; 0: only looks
     * @param blocker what the thread waits for (shown in thread dumps)
     * @return whether it was granted; false may race a grant, which {@link #awaitIn} checks under the lock
     * @throws IllegalStateException on a hub's own thread (a timer callback), where nothing may block
     */
    boolean await(long timeoutNanos, Object blocker) {
        // The waiter is its own condition: a method reference would be one more object per wait.
        return Wait.until(this, timeoutNanos, blocker, Wait.Plain.INTERRUPTIBLE, "wait for ", blocker);
    }

    /** Whether it has been granted: the condition of its wait. */
    @Override
    public boolean getAsBoolean() {
        return granted;
    }

    /** What a primitive hands back, under its lock, when a wait it granted ended by an exception. */
    @FunctionalInterface
    public interface GiveBack {
        /** @return a waiter to wake once the lock is released, or null */
        Waiter giveBack(Waiter abandoned);
    }

    /** For a primitive whose grant is not consumed (an event) or stands once made (a put). */
    public static final GiveBack NOTHING = abandoned -> null;

    /**
     * The whole wait of a primitive whose waiters are {@code queue}, guarded by {@code lock}:
     * {@link #await}, then the rules every primitive shares. A wait that timed out is checked
     * again under the lock (a grant may have raced the timeout) and otherwise leaves the queue. A
     * wait ended by an exception leaves the queue, or, when it was granted meanwhile, hands what
     * it got back through {@code giveBack}, so an abandoned wait consumes nothing.
     *
     * @return whether it was granted
     */
    public boolean awaitIn(Object lock, WaitList queue, long timeoutNanos, Object blocker, GiveBack giveBack) {
        boolean ok;
        try {
            ok = await(timeoutNanos, blocker);
        } catch (Throwable t) {
            Waiter wake = null;
            synchronized (lock) {
                if (granted) {
                    wake = giveBack.giveBack(this);
                } else {
                    queue.remove(this);
                }
            }
            if (wake != null) {
                wake.wake();
            }
            throw t;
        }
        if (ok) {
            return true;
        }
        synchronized (lock) {
            if (granted) {
                return true;
            }
            queue.remove(this);
            return false;
        }
    }

    /** A timeout as {@link #awaitIn} takes it: null is no bound; negative is refused. */
    public static long timeoutNanos(java.time.Duration timeout) {
        return Wait.checkedTimeoutNanos(timeout, "");
    }
}
